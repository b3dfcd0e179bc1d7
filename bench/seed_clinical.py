"""The clinical part of `python -m bench seed`: screenings, plans with signed sessions and
injection points, photo metadata and side effects, written in bulk."""

import datetime as dt
import uuid
from decimal import Decimal

from bench.seed_rows import BATCH
from bench.seed_rows import bulk as _bulk


def clinical(clinic, patients, intake_of, staff, lot, product, rng, label):
    """Screenings, plans with signed sessions and points, photo metadata, side effects."""
    from django.db.models import F
    from django.utils import timezone

    from mesoclinic.followup.models import AdverseEvent, Level, Severity, Source
    from mesoclinic.photos.models import Photo, PhotoConsent
    from mesoclinic.screening.models import ScreeningRecord
    from mesoclinic.treatments.models import (
        SessionPoint,
        SessionStatus,
        TreatmentPlan,
        TreatmentSession,
    )

    nurse, physician = staff["nurse"], staff["physician"]
    now = timezone.now()
    treated = [p for p in patients if p.pk in intake_of and rng.random() < 0.35]
    screened = _bulk(
        ScreeningRecord,
        (
            ScreeningRecord(
                patient=p,
                protocol="face-mesolift",
                planned_date=(now - dt.timedelta(days=rng.randint(30, 700))).date(),
                products=[{"name": product.name, "ingredients": product.ingredients}],
                intake_id=p.current_intake_id,
                result={"decision": "eligible", "reasons": [], "seeded": True},
                decision="eligible",
                knowledge_version="seed",
                created_by=nurse,
            )
            for p in treated
        ),
        f"{label} screenings",
        len(treated),
    )
    plans = _bulk(
        TreatmentPlan,
        (
            TreatmentPlan(
                patient_id=s.patient_id,
                protocol=s.protocol,
                screening=s,
                start_date=s.planned_date,
                sessions_planned=4,
                interval_min=14,
                interval_default=21,
                interval_max=42,
                maintenance_min=90,
                maintenance_max=180,
                status="completed",
                knowledge_version="seed",
                created_by=physician,
            )
            for s in screened
        ),
        f"{label} plans",
        len(screened),
    )
    TreatmentPlan.products.through.objects.bulk_create(
        [TreatmentPlan.products.through(treatmentplan=p, product=product) for p in plans],
        batch_size=BATCH,
    )

    def sessions():
        for plan in plans:
            start = dt.datetime.combine(plan.start_date, dt.time(10), tzinfo=dt.UTC)
            for n in range(1, 5):
                at = start + dt.timedelta(days=21 * (n - 1))
                yield TreatmentSession(
                    plan=plan,
                    patient_id=plan.patient_id,
                    number=n,
                    protocol=plan.protocol,
                    started_at=at,
                    started_by=nurse,
                    pain_score=rng.randint(0, 6),
                )

    done = _bulk(TreatmentSession, sessions(), f"{label} sessions", 4 * len(plans))
    _bulk(
        SessionPoint,
        (
            SessionPoint(
                session=s,
                view="front",
                x=rng.uniform(20, 80),
                y=rng.uniform(20, 100),
                zone=rng.choice(["forehead", "cheeks"]),
                depth_mm=Decimal("1.0"),
                technique="nappage",
                volume_ml=Decimal("0.050"),
                lot=lot,
                created_by=nurse,
            )
            for s in done
            for _ in range(6)
        ),
        f"{label} injection points",
        6 * len(done),
    )
    # signed once their points are in (a signed session is sealed: no point added after)
    TreatmentSession.objects.filter(pk__in=[s.pk for s in done]).update(
        status=SessionStatus.SIGNED, signed_at=F("started_at") + dt.timedelta(minutes=40),
        signed_by=nurse,
    )  # fmt: skip
    photographed = [p for p in plans if rng.random() < 0.5]
    consents = _bulk(
        PhotoConsent,
        (
            PhotoConsent(
                patient_id=p.patient_id,
                scope="clinical",
                signer_name="seed",
                signed_on=p.start_date,
                recorded_by=nurse,
            )
            for p in photographed
        ),
        f"{label} photo consents",
        len(photographed),
    )
    first_session = {s.plan_id: s for s in done if s.number == 1}
    plan_of = {p.patient_id: p for p in photographed}
    _bulk(
        Photo,
        (
            Photo(
                patient_id=c.patient_id,
                consent=c,
                session=first_session[plan_of[c.patient_id].pk],
                taken_on=c.signed_on,
                view=view,
                area="face",
                file=f"seed/{uuid.uuid4().hex}.jpg",
                sha256="0" * 64,
                width=1600,
                height=1200,
                size_bytes=350_000,
                original_format="jpeg",
                uploaded_by=nurse,
            )
            for c in consents
            for view in ("front", "left45", "right45")
        ),
        f"{label} photos (metadata)",
        3 * len(consents),
    )
    hurt = [s for s in done if rng.random() < 0.05]
    _bulk(
        AdverseEvent,
        (
            AdverseEvent(
                clinic=clinic,
                patient_id=s.patient_id,
                session=s,
                protocol=s.protocol,
                source=Source.STAFF,
                reported_by=nurse,
                reported_at=s.started_at + dt.timedelta(hours=20),
                symptoms=["bruising"],
                severity=Severity.MILD,
                hours_since_session=20.0,
                triage={"level": "expected", "seeded": True},
                level=Level.EXPECTED,
                outcome="recovered",
                resolved_at=s.started_at + dt.timedelta(days=5),
            )
            for s in hurt
        ),
        f"{label} side effects",
        len(hurt),
    )
