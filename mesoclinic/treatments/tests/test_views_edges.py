"""The plan and session pages through the test client: a plan from a screening, a session
started, detailed, copied forward, signed and amended; each refusal shown, nothing written."""

import datetime as dt

from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.treatments import actions
from mesoclinic.treatments.models import Amendment, TreatmentPlan, TreatmentSession
from tests.support import journeys, personas
from tests.support.treatments import TODAY, clear_for_treatment, point, seal_lifted


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_plan_is_created_from_a_screening_page(nora, patient, booster, login):
    product, _lot = booster
    personas.make_intake(personas.actor(nora), patient)
    screening = clear_for_treatment(nora, patient, [product])
    client = login(nora)
    url = reverse("treatments:plan_new", args=[patient.code]) + f"?screening={screening.code}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "This protocol: " in html and 'value="forehead"' in html
    form = {
        "start_date": TODAY.isoformat(),
        "sessions": "40",
        "products": [str(product.pk)],
        "zones": ["forehead", "cheeks"],
        "concerns": "fine lines\n\n  dull skin  ",
    }
    bad = client.post(url, form)
    assert bad.status_code == 400 and "sessions" in bad.context["form"].errors
    too_many = client.post(url, {**form, "sessions": "12"})  # a valid number, not for this protocol
    assert too_many.context["form"].errors["sessions"] == ["This protocol has 4 to 6 sessions."]
    assert not TreatmentPlan.objects.exists()
    created = client.post(url, {**form, "sessions": "4"})
    plan = TreatmentPlan.objects.get()
    assert created.status_code == 302 and created.url == reverse(
        "treatments:plan", args=[plan.code]
    )
    assert plan.concerns == ["fine lines", "dull skin"] and plan.sessions_planned == 4
    detail = client.get(created.url)
    assert detail.status_code == 200
    keys = {i.key.split(":")[0] for i in detail.context["gate"]}
    assert {"screening", "consent", "patch", "lot"} <= keys


def test_the_plan_page_refuses_a_screening_of_another_patient(nora, patient, booster, login):
    product, _lot = booster
    act = personas.actor(nora)
    personas.make_intake(act, patient)
    screening = clear_for_treatment(nora, patient, [product])
    other = personas.make_patient(act, given="Zeynep", family="Kaya")
    url = reverse("treatments:plan_new", args=[other.code]) + f"?screening={screening.code}"
    assert login(nora).get(url).status_code == 404
    assert login(nora).post(url, {"screening": str(screening.code)}).status_code == 404
    assert not TreatmentPlan.objects.exists()


def test_a_refused_plan_is_shown_on_the_form(nora, patient, booster, login):
    """The form accepts a zone list the action then refuses: the reason lands on the form."""
    from mesoclinic.screening.actions import screen_patient

    product, _lot = booster
    act = personas.actor(nora)
    personas.make_intake(act, patient, pregnant=True)  # the screening does not allow it
    screening = screen_patient(act, patient, "face-mesolift", TODAY, [product.as_engine_product()])
    url = reverse("treatments:plan_new", args=[patient.code]) + f"?screening={screening.code}"
    response = login(nora).post(
        url,
        {
            "start_date": TODAY.isoformat(),
            "sessions": "4",
            "products": [str(product.pk)],
            "zones": ["forehead"],
        },
    )
    assert response.status_code == 400
    assert "allows treatment" in " ".join(response.context["form"].non_field_errors())
    assert not TreatmentPlan.objects.exists()


def test_starting_a_session_shows_why_the_gate_is_closed(nora, patient, booster, login):
    from mesoclinic.screening.actions import screen_patient

    product, _lot = booster
    act = personas.actor(nora)
    personas.make_intake(act, patient)
    screening = screen_patient(act, patient, "face-mesolift", TODAY, [product.as_engine_product()])
    plan = actions.create_plan(
        act,
        patient,
        screening,
        start_date=TODAY,
        sessions=4,
        products=[product],
        concerns=[],
        zones=["forehead"],
    )
    client = login(nora)
    response = client.post(reverse("treatments:start", args=[plan.code]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("treatments:plan", args=[plan.code])
    text = " ".join(_messages(response))
    assert "consent" in text.lower() and "patch test" in text.lower()
    assert not plan.sessions.exists()


def test_a_session_is_started_detailed_signed_and_amended_through_its_pages(
    ready, nora, alice, login
):
    plan, _product, lot = ready
    client = login(nora)
    started = client.post(reverse("treatments:start", args=[plan.code]))
    session = plan.sessions.get()
    assert started.url == reverse("treatments:session", args=[session.code])

    details = reverse("treatments:details", args=[session.code])
    bad = client.post(details, {"pain_score": "12"})
    assert bad.status_code == 400 and "pain_score" in bad.context["details_form"].errors
    saved = client.post(
        details,
        {
            "pain_score": "3",
            "reactions": ["redness"],
            "notes": "tolerated well",
            "anaesthetic_applied_at": "2026-12-01T09:10",
            "anaesthetic_removed_at": "2026-12-01T09:40",
        },
    )
    assert saved.status_code == 302
    session.refresh_from_db()
    assert (session.pain_score, session.reactions, session.notes) == (
        3,
        ["redness"],
        "tolerated well",
    )

    sign = reverse("treatments:sign", args=[session.code])
    empty = client.post(sign, follow=True)
    assert "Chart at least one point before signing off." in _messages(empty)
    actions.add_point(personas.actor(nora), session, point(lot))
    assert client.post(sign).status_code == 302
    session.refresh_from_db()
    assert session.is_signed

    # a signed session: details are refused on the form, amendments take their place
    late = client.post(details, {"notes": "late"})
    assert late.status_code == 400
    assert "amendment" in " ".join(late.context["details_form"].non_field_errors())
    amend = reverse("treatments:amend", args=[session.code])
    page = client.get(amend)
    assert page.status_code == 200 and page.context["form"].initial["pain_score"] == 3
    assert page.context["form"].initial["anaesthetic_applied_at"].hour == 9
    unchanged = {
        "pain_score": "3",
        "reactions": ["redness"],
        "notes": "tolerated well",
        "anaesthetic_applied_at": "2026-12-01T09:10",
        "anaesthetic_removed_at": "2026-12-01T09:40",
    }
    nothing = client.post(amend, {"reason": "Nothing changes", **unchanged})
    assert nothing.status_code == 400 and not Amendment.objects.exists()
    assert "changes nothing" in " ".join(nothing.context["form"].non_field_errors())
    the_point = session.points.get()
    done = client.post(
        amend,
        {
            **unchanged,
            "reason": "The point was charted on the wrong patient",
            "pain_score": "4",
            "remove": [str(the_point.code)],
        },
    )
    assert done.status_code == 302
    amendment = Amendment.objects.get()
    assert [c["op"] for c in amendment.changes] == ["set", "remove_point"]
    assert not session.points.exists()


def test_copy_forward_through_the_page(ready, nora, login):
    plan, _product, lot = ready
    act = personas.actor(nora)
    client = login(nora)
    first = actions.start_session(act, plan)
    url = reverse("treatments:copy_forward", args=[first.code])
    refused = client.post(url, follow=True)
    assert "There is no earlier session of this plan to copy." in _messages(refused)
    actions.add_point(act, first, point(lot))
    actions.sign_off(act, first)
    earlier = first.started_at - dt.timedelta(days=15)  # the series interval has passed
    with seal_lifted(first):
        TreatmentSession.objects.filter(pk=first.pk).update(started_at=earlier, signed_at=earlier)
    second = actions.start_session(act, plan)
    copied = client.post(reverse("treatments:copy_forward", args=[second.code]), follow=True)
    assert "1 points copied from the previous session." in _messages(copied)
    assert second.points.count() == 1


def test_the_lot_exposure_page_lists_the_sessions(ready, nora, login):
    plan, _product, lot = ready
    session = journeys.signed_session(nora, plan, lot)
    response = login(nora).get(reverse("treatments:exposure", args=[lot.code]))
    assert response.status_code == 200
    assert [r["session"].pk for r in response.context["rows"]] == [session.pk]
    assert AuditEvent.objects.filter(summary="lot exposure: 1 sessions").exists()
