"""The staff home per role and the dashboard: who sees what, the figures and their lists."""

import re

from django.urls import reverse

from mesoclinic.billing import actions
from tests.support import personas


def test_each_role_lands_on_its_home(login, frank, adam, alice, nora):
    assert login(frank).get(reverse("dashboard:home")).url == reverse("scheduling:desk")
    assert login(adam).get(reverse("dashboard:home")).url == reverse("dashboard:dashboard")
    page = login(alice).get(reverse("dashboard:home"))
    assert page.status_code == 200 and "Sessions not signed off" in page.text


def test_the_physician_sees_unsigned_sessions(login, alice, nora, plan):
    from mesoclinic.treatments.actions import start_session

    start_session(personas.actor(nora), plan)
    page = login(alice).get(reverse("dashboard:home"))
    assert "Face mesolift (facial mesotherapy) 1" in page.text


def test_the_dashboard_draws_accessible_figures_that_link_to_their_lists(
    login, adam, alice, frank, prices, signed
):
    actions.take_payment(personas.actor(frank), signed.patient, 152000, "cash")
    page = login(adam).get(reverse("dashboard:dashboard"))
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') >= 4 and "style=" not in html and "<script>" not in html
    # the week with the payment links to the list behind the bar
    link = re.search(
        r'<a href="(/home/dashboard/payments\?[^"]+)"><rect class="bar" [^>]*height="(?!0")', html
    )
    assert link, "no bar links to its payments"
    listed = login(adam).get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200 and "1520" in listed.text.replace("\u00a0", "")
    # the physician may open the sessions behind the sessions figure; the owner has no
    # clinical access, so the owner's sessions bars do not link there
    assert "/home/dashboard/sessions?" not in html
    physician = login(alice).get(reverse("dashboard:dashboard")).text
    assert "/home/dashboard/sessions?" in physician


def test_the_nurse_and_front_desk_have_no_dashboard(login, nora, frank):
    assert login(nora).get(reverse("dashboard:dashboard")).status_code == 403
    assert login(frank).get(reverse("dashboard:dashboard")).status_code == 403


def test_filters_are_checked(login, adam):
    r = login(adam).get(
        reverse("dashboard:dashboard"), {"start": "2026-12-01", "end": "2026-01-01"}
    )
    assert r.status_code == 200 and "The start date is after the end date." in r.text
    r = login(adam).get(reverse("dashboard:dashboard"), {"start": "junk", "practitioner": "nobody"})
    assert r.status_code == 200


def test_a_lot_whose_side_effects_stand_out_is_flagged(login, alice, nora, plan, booster):
    """20 sessions with lot A (1 side effect) and 20 with lot B (6): B stands out against
    the rest of the clinic (expected 1, P(X >= 6) < 0.001); A does not."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from mesoclinic.dashboard import stats
    from mesoclinic.followup.models import AdverseEvent
    from mesoclinic.treatments.models import SessionPoint, TreatmentSession
    from tests.support.products import make_lot

    product, lot_a = booster
    lot_b = make_lot(personas.actor(nora), product, "HB-2", expiry=lot_a.expiry, quantity="20")
    now = timezone.now()
    for i in range(40):
        lot = lot_a if i < 20 else lot_b
        at = now - dt.timedelta(days=i + 1)
        session = TreatmentSession.objects.create(
            plan=plan,
            patient=plan.patient,
            number=i + 1,
            protocol=plan.protocol,
            started_at=at,
        )  # open: its point goes in first, then it is signed (a signed session is sealed)
        SessionPoint.objects.create(
            session=session,
            view="front",
            x=50,
            y=20,
            zone="forehead",
            depth_mm=Decimal("1.0"),
            technique="papules",
            volume_ml=Decimal("0.050"),
            lot=lot,
        )
        TreatmentSession.objects.filter(pk=session.pk).update(
            status="signed", signed_at=at, signed_by=alice
        )
        if i == 0 or 20 <= i < 26:
            event = AdverseEvent.objects.create(
                clinic=plan.patient.clinic,
                patient=plan.patient,
                session=session,
                protocol=plan.protocol,
                source="staff",
                reported_at=at,
                severity="mild",
                level="expected",
                hours_since_session=24.0,
                triage={},
            )
            event.lots.add(lot)
    today = timezone.localdate()
    result = stats.side_effects(
        personas.actor(alice), stats.Filters(today - dt.timedelta(days=60), today)
    )
    by_lot = {r["lot"]: r for r in result["lots"]}
    assert by_lot["HB-2"]["flagged"] and by_lot["HB-2"]["events"] == 6
    assert by_lot["HB-2"]["expected"] == 1.0 and by_lot["HB-2"]["p"] < 0.001
    assert not by_lot["HB-1"]["flagged"]
    assert result["rate"] == Decimal("17.5")  # 7 side effects in 40 sessions
    page = login(alice).get(reverse("dashboard:dashboard"))
    assert "bar bar-flag" in page.text and "Stands out" in page.text


def test_the_menu_offers_billing_to_staff_and_the_dashboard_to_owner_and_physician(
    login, alice, nora, frank, adam
):
    def menu(user):
        html = login(user).get(reverse("billing:home")).text
        return re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)

    for user in (alice, nora, frank, adam):
        assert menu(user).count(">Billing</a>") == 1
    assert 'aria-current="page">Billing</a>' in menu(frank)
    assert ">Dashboard</a>" in menu(alice) and ">Dashboard</a>" in menu(adam)
    assert ">Dashboard</a>" not in menu(nora) and ">Dashboard</a>" not in menu(frank)
