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
    assert "face-mesolift 1" in page.text


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
