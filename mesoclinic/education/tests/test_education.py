import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.education import access, actions
from mesoclinic.education.models import ArticleVersion, ImmutableVersion
from tests.support import personas

MAKEUP_EN = "Clinic text: no make-up for {p.aftercare.no-makeup}, even over a bruise."
MAKEUP_TR = "Klinik metni: {p.aftercare.no-makeup} boyunca makyaj yok."


def edit_data(client, slug, **changes):
    form = client.get(reverse("education:edit", args=[slug])).context["form"]
    data = {name: form[name].initial for name in form.fields}
    data["note"] = "clinic wording"
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["alice", "nora", "frank", "adam"])
def test_every_staff_role_reads_the_articles_and_asks(login, request, who):
    client = login(request.getfixturevalue(who))
    page = client.get(reverse("education:list"))
    assert page.status_code == 200 and "After your session" in page.content.decode()
    detail = client.get(reverse("education:detail", args=["aftercare"]))
    assert "24 hours" in detail.content.decode() and "Sources" in detail.content.decode()
    ask = client.get(reverse("education:ask"), {"q": "When can I wear makeup again?"})
    assert ask.context["result"]["section"] == "aftercare/makeup"


def test_the_ask_page_answers_in_place_with_htmx(login, frank):
    client = login(frank)
    page = client.get(
        reverse("education:ask"),
        {"q": "day 2 after hair mesotherapy: may I wash my hair?", "lang": "", "protocol": ""},
        headers={"HX-Request": "true"},
    )
    body = page.content.decode()
    assert "<html" not in body and "aftercare/hair-wash" in body and "no longer applies" in body
    urgent = client.get(reverse("education:ask"), {"q": "my lips are swelling, I cannot breathe"})
    assert urgent.context["result"]["kind"] == "urgent" and "Urgent" in urgent.content.decode()
    bad = client.get(reverse("education:ask"), {"q": "hi", "protocol": "hair", "day": "-1"})
    assert bad.status_code == 400


def test_anonymous_users_are_sent_to_sign_in(client):
    page = client.get(reverse("education:list"))
    assert page.status_code == 302 and "login" in page.url


@pytest.mark.parametrize("who", ["nora", "frank"])
def test_only_a_physician_or_the_clinic_admin_edits_and_approves(login, request, who, alice):
    draft = actions.save_draft(personas.actor(alice), "aftercare", {}, "x")
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("education:edit", args=["aftercare"])).status_code == 403
    assert client.post(reverse("education:approve", args=[draft.code])).status_code == 403
    assert not ArticleVersion.objects.filter(status="approved").exists()


def test_versions_are_kept_and_answers_use_the_approved_one(login, alice, adam, clinic_b):
    client = login(alice)
    data = edit_data(client, "aftercare", makeup__en=MAKEUP_EN, makeup__tr=MAKEUP_TR)
    saved = client.post(reverse("education:edit", args=["aftercare"]), data)
    assert saved.status_code == 302
    v1 = ArticleVersion.objects.get()
    assert v1.number == 1 and not v1.is_approved and list(v1.sections) == ["makeup"]
    # a draft changes nothing patients read
    assert (
        "Clinic text"
        not in access.answer(personas.actor(alice), "When can I wear makeup?")["answer"]
    )
    client = login(adam)
    assert client.post(reverse("education:approve", args=[v1.code])).status_code == 302
    v1.refresh_from_db()
    assert v1.is_approved and v1.approved_by == adam
    out = access.answer(personas.actor(adam), "When can I wear makeup again?")
    assert out["answer"] == "Clinic text: no make-up for 24 hours, even over a bruise."
    # the next edit is version 2; version 1 stays as it was
    client = login(alice)
    data = edit_data(client, "aftercare", makeup__en=MAKEUP_EN.replace("Clinic", "New"))
    client.post(reverse("education:edit", args=["aftercare"]), data)
    v2 = ArticleVersion.objects.get(number=2)
    client.post(reverse("education:approve", args=[v2.code]))
    assert ArticleVersion.objects.filter(status="approved").count() == 2
    v1.refresh_from_db()
    assert v1.sections["makeup"]["en"] == MAKEUP_EN
    assert access.answer(personas.actor(alice), "When can I wear makeup again?")[
        "answer"
    ].startswith("New text")
    with pytest.raises(ImmutableVersion):
        v1.note = "changed"
        v1.save()
    with pytest.raises(ImmutableVersion):
        v1.delete()
    assert AuditEvent.objects.filter(action="approve").count() == 2
    # another clinic still reads the packaged text
    charlie = personas.make_user("charlie", clinic_b, "physician")
    other = access.answer(personas.actor(charlie), "When can I wear makeup again?")
    assert other["answer"].startswith("No make-up")
    page = login(alice).get(reverse("education:detail", args=["aftercare"]), {"version": v1.code})
    assert "Clinic text" in page.content.decode() and "Version 2" in page.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("No make-up for 12 hours.", "typed in by hand"),
        ("No make-up for a day.", "keep {p.aftercare.no-makeup}"),
        ("No make-up for {p.aftercare.nope}.", "unknown placeholder"),
    ],
)
def test_an_edit_can_never_state_its_own_numbers(login, alice, text, message):
    client = login(alice)
    page = client.post(
        reverse("education:edit", args=["aftercare"]),
        edit_data(client, "aftercare", makeup__en=text),
    )
    assert page.status_code == 400 and message in page.content.decode()
    assert not ArticleVersion.objects.exists()


def test_an_unknown_article_is_not_found(login, alice):
    assert login(alice).get(reverse("education:detail", args=["nope"])).status_code == 404


def test_answer_for_patient_uses_the_latest_signed_session(alice, patient, monkeypatch):
    now = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    assert access.latest_signed_session(patient) is None
    general = access.answer_for_patient(patient, "Can I wash my hair?", now=now)
    assert general["aftercare_day"] is None
    signed = SimpleNamespace(protocol="hair", signed_at=now - dt.timedelta(hours=30))
    monkeypatch.setattr(access, "latest_signed_session", lambda p: signed)
    out = access.answer_for_patient(
        patient, "Can I wash my hair?", now=now, actor=personas.actor(alice)
    )
    assert out["protocol"] == "hair" and out["aftercare_day"] == 1
    assert "about 24 hours more" in out["answer"]
    assert AuditEvent.objects.filter(action="ask", patient_code=patient.code).exists()
    with pytest.raises(ValueError):
        access.answer_for_patient(patient, "x", now=now.replace(tzinfo=None))
