"""PDF documents (issue 16): the time to render each document to PDF with WeasyPrint,
against rendering the same template to HTML in the same run (the baseline: what the PDF
adds on top of Django's template rendering). One patient with a signed face-mesolift
session of 10 points, its consent (drawn signature), aftercare sheet and summary; best
of 5 renders each, English and Turkish, on a throw-away database (see bench/scheduling).
"""

import datetime as dt
import os
import time

from bench.common import Result
from bench.scheduling import _setup_django

REPEAT = 5


def _best(fn) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _records(clinic, lang: str):
    from mesoclinic.consent.actions import sign_consent
    from mesoclinic.consent.models import Consent
    from mesoclinic.consent.tests.helpers import png_data_url
    from mesoclinic.consent.versions import current_template
    from mesoclinic.followup.actions import on_session_signed
    from mesoclinic.treatments.actions import add_point, sign_off, start_session
    from tests.support import journeys, personas
    from tests.support.products import make_lot, make_product
    from tests.support.treatments import TODAY, point

    user = personas.make_user(f"nurse-{lang}", clinic, "nurse")
    act = personas.actor(user)
    patient = personas.make_patient(act, language=lang)  # aftercare in the patient's language
    product = make_product(
        act,
        name=f"HA booster {lang}",
        product_class="ha-skin-booster",
        patch_test_reading_minutes=30,
    )
    today = TODAY
    lot = make_lot(act, product, f"HB-{lang}", expiry=today + dt.timedelta(days=200), quantity="20")
    plan = journeys.ready_plan(user, patient, product, today)
    session = start_session(act, plan)
    for i in range(10):
        add_point(act, session, point(lot, x=30.0 + 4 * i, y=20.0))
    session = sign_off(act, session)
    on_session_signed(act, session)
    sign_consent(
        act,
        patient,
        template=current_template("face-mesolift"),
        product_classes=["ha-skin-booster"],
        signer_name=patient.full_name,
        signature=png_data_url(),
        language=lang,
    )
    consent = Consent.objects.filter(patient=patient).order_by("-signed_at", "-id").first()
    return act, patient, consent, session


def measure() -> list[Result]:
    import time_machine

    from mesoclinic.accounts.models import Clinic
    from mesoclinic.documents import access
    from mesoclinic.lib.pdf import render_html, render_pdf
    from tests.support.treatments import NOW

    clinic = Clinic.objects.create(name="Bench Clinic", phone="+90 212 555 01 23")
    results = []
    for lang in ("en", "tr"):
        with time_machine.travel(NOW, tick=True):  # the journey helpers' fixed clinic day
            act, patient, consent, session = _records(clinic, lang)
        docs = {
            "consent": access.consent(act, consent.code),
            "session record": access.session(act, session.code),
            "aftercare sheet": access.aftercare(act, session.code),
            "treatment summary": access.summary(act, patient.code, "doctor"),
        }
        for name, doc in docs.items():
            html = _best(lambda d=doc: render_html(d.template, d.context, language=d.language))
            pdf = _best(lambda d=doc: render_pdf(d.template, d.context, language=d.language))
            results.append(
                Result(
                    f"{name} ({doc.language}): PDF render",
                    round(pdf * 1000, 1),
                    "ms",
                    baseline_name="HTML render, ms",
                    baseline=round(html * 1000, 2),
                    goal="< 1000 ms",
                    met=pdf < 1.0,
                )
            )
    return results


def run() -> list[Result]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    connection, old_name, tmp = _setup_django()
    try:
        return measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
