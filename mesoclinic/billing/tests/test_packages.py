"""Packages sold from the plan; sessions counted as they are signed, and on amendment."""

import pytest

from mesoclinic.billing import access, actions
from mesoclinic.billing.models import PackageUse
from mesoclinic.lib.refusals import Refused
from mesoclinic.treatments import amendments
from tests.support import journeys, personas
from tests.support.treatments import point


def _sign(nora, plan, lot, hooks):
    with hooks(execute=True):
        return journeys.signed_session(nora, plan, lot)


def test_a_package_counts_sessions_as_they_are_signed(
    frank, nora, prices, plan, booster, django_capture_on_commit_callbacks, time_machine
):
    _vat, offer = prices
    sale = actions.sell_package(personas.actor(frank), plan, offer)
    invoice = sale.invoices.get()
    assert invoice.gross == 500000 and invoice.number_text == "INV-000001"
    session = _sign(nora, plan, booster[1], django_capture_on_commit_callbacks)
    assert PackageUse.objects.get(session=session).sale == sale
    [package] = access.packages(plan.patient)
    assert (package.used, package.remaining) == (1, 3)
    # a session on a package is not invoiced again
    with pytest.raises(Refused, match="package"):
        actions.invoice_session(personas.actor(frank), session)
    assert session.pk not in {s.pk for s in access.sessions_to_invoice(personas.actor(frank))}


def test_selling_a_package_counts_signed_sessions_not_yet_invoiced(frank, prices, signed, plan):
    _vat, offer = prices
    actions.sell_package(personas.actor(frank), plan, offer)
    assert PackageUse.objects.filter(session=signed).exists()
    with pytest.raises(Refused, match="already has a package"):
        actions.sell_package(personas.actor(frank), plan, offer)


def test_an_invoiced_session_is_not_counted_again(frank, prices, signed, plan):
    _vat, offer = prices
    actions.invoice_session(personas.actor(frank), signed)
    actions.sell_package(personas.actor(frank), plan, offer)
    assert not PackageUse.objects.filter(session=signed).exists()


def test_an_amendment_that_removes_everything_done_releases_the_session(
    frank, nora, prices, plan, booster, django_capture_on_commit_callbacks
):
    _vat, offer = prices
    actions.sell_package(personas.actor(frank), plan, offer)
    session = _sign(nora, plan, booster[1], django_capture_on_commit_callbacks)
    assert PackageUse.objects.filter(session=session).exists()
    with django_capture_on_commit_callbacks(execute=True):
        amendments.amend(
            personas.actor(nora),
            session,
            reason="Charted on the wrong patient",
            remove_points=list(session.points.all()),
        )
    assert not PackageUse.objects.filter(session=session).exists()
    assert access.packages(plan.patient)[0].used == 0
    # an amendment that charts the point again counts it again
    with django_capture_on_commit_callbacks(execute=True):
        amendments.amend(
            personas.actor(nora),
            session,
            reason="Charted on the right patient now",
            add_points=[point(booster[1])],
        )
    assert PackageUse.objects.filter(session=session).exists()


def test_a_cancelled_package_no_longer_counts(frank, adam, prices, signed, plan):
    _vat, offer = prices
    sale = actions.sell_package(personas.actor(frank), plan, offer)
    actions.credit(personas.actor(adam), sale.invoices.get(), reason="changed her mind")
    sale.refresh_from_db()
    assert sale.cancelled_at is not None
    assert not PackageUse.objects.filter(session=signed).exists()
    # the session goes back to the list to invoice
    assert signed.pk in {s.pk for s in access.sessions_to_invoice(personas.actor(frank))}


def test_a_full_package_leaves_the_next_session_to_invoice(frank, adam, prices, plan, signed):
    vat, _offer = prices
    one = actions.create_offer(personas.actor(adam), "Trial", "face-mesolift", 1, 100000, vat)
    actions.sell_package(personas.actor(frank), plan, one)  # counts the signed session
    assert access.packages(plan.patient)[0].remaining == 0
