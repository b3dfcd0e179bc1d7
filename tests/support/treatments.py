"""A patient cleared for treatment, and one injection point, for any app's tests. Time is
frozen at NOW (the treatments tests' clock) by the tests that use them."""

import contextlib
import datetime as dt
import importlib
from zoneinfo import ZoneInfo

from tests.support import personas

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


def clear_for_treatment(user, patient, products, protocol="face-mesolift", *, today=None, now=None):
    """Screen for `today` (TODAY) with the products, sign consent, and read a negative patch
    test for each, applied two hours before `now` (NOW)."""
    today, now = today or TODAY, now or NOW
    from mesoclinic.consent.actions import sign_consent
    from mesoclinic.consent.versions import current_template
    from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
    from mesoclinic.screening.actions import screen_patient

    act = personas.actor(user)
    screening = screen_patient(
        act, patient, protocol, today, [p.as_engine_product() for p in products]
    )
    sign_consent(
        act,
        patient,
        template=current_template(protocol),
        product_classes=sorted({p.product_class for p in products}),
        signer_name=patient.full_name,
        typed_signature=True,
    )
    for p in products:
        if p.patch_test_reading_minutes:
            test = record_patch_test(
                act,
                patient,
                product=p,
                site="inner_forearm",
                applied_at=now - dt.timedelta(hours=2),
            )
            read_patch_test(act, test, result="negative", read_at=now - dt.timedelta(minutes=30))
    return screening


def point(lot, **kw):
    data = {
        "stage": 1,
        "view": "front",
        "x": 50.0,
        "y": 20.0,
        "zone": "forehead",
        "technique": "papules",
        "depth_mm": "1.0",
        "volume_ml": "0.050",
        "lot": lot,
    }
    data.update(kw)
    return data


def next_window(user, plan, time_machine, days: int | None = None) -> dt.date:
    """Move the clock to the day the plan's next session may start (`days` after TODAY, the
    plan's minimum interval by default) and screen the patient for that day again."""
    from mesoclinic.screening.actions import screen_patient

    days = plan.interval_min if days is None else days
    time_machine.move_to(NOW + dt.timedelta(days=days), tick=True)
    day = TODAY + dt.timedelta(days=days)
    products = [p.as_engine_product() for p in plan.products.all()]
    screen_patient(personas.actor(user), plan.patient, plan.protocol, day, products)
    return day


@contextlib.contextmanager
def seal_lifted(*sessions):
    """Test-only back door: rewrite signed sessions (e.g. backdate them by 15 days) inside the
    block. The database triggers are dropped and made again around it (both inside the
    test's transaction where there is one), and the ORM guard is opened for `sessions`."""
    from django.db import connection

    from mesoclinic.core.sealed import unsealed

    sealing = importlib.import_module("mesoclinic.treatments.migrations.0004_sealed")
    drop, make = sealing.statements(connection.vendor)
    with connection.cursor() as cur:
        for sql in drop:
            cur.execute(sql)
    try:
        with unsealed(*sessions):
            yield
    finally:
        with connection.cursor() as cur:
            for sql in make:
                cur.execute(sql)


def backdate_signed(session, days: int) -> None:
    """Move a signed session's start and sign-off `days` into the past (test-only)."""
    from mesoclinic.treatments.models import TreatmentSession

    earlier = session.started_at - dt.timedelta(days=days)
    with seal_lifted(session):
        TreatmentSession.objects.filter(pk=session.pk).update(started_at=earlier, signed_at=earlier)
