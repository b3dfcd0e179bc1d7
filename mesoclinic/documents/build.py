"""What each document shows, in the document's language, from the stored record only.

No reads are audited here and no capability is checked: `access.py` does both before it
calls a builder. Each builder returns (template, context, language, file name).
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from mesoclinic.engine.knowledge import load, text
from mesoclinic.followup.sheets import sheet_context
from mesoclinic.lib import clinicday
from mesoclinic.lib.language import FALLBACK, person_language, supported
from mesoclinic.lib.titles import class_label, protocol_title
from mesoclinic.treatments import diagram
from mesoclinic.treatments.access import points_of

from .letterhead import letterhead


@dataclass(frozen=True)
class Document:
    template: str
    context: dict
    language: str
    filename: str


def patient_language(patient) -> str:
    lang = person_language(patient)
    return lang if lang in supported() else FALLBACK


def _base(patient, lang: str) -> dict:
    clinic = patient.clinic
    return {
        "letterhead": letterhead(clinic),
        "patient": patient,
        "zone": clinicday.zone(clinic),
        "printed_at": clinicday.local(clinicday.now(), clinic),
        "lang": lang,
    }


def consent_document(consent) -> Document:
    """The signed consent: the text the patient read, in the language they read it, the
    version, the product classes, the signature (drawn, or typed and witnessed)."""
    lang = consent.language if consent.language in supported() else FALLBACK
    with translation.override(lang):
        withdrawal = getattr(consent, "withdrawal", None) if consent.withdrawn else None
        context = {
            **_base(consent.patient, lang),
            "consent": consent,
            "doc": consent.template.document(lang),
            "title": protocol_title(consent.protocol, lang),
            "classes": [class_label(pc, lang) for pc in consent.product_classes],
            "signed_at": clinicday.local(consent.signed_at, consent.patient.clinic),
            "by_patient": getattr(getattr(consent.witnessed_by, "membership", None), "role", "")
            == "patient",
            "withdrawal": withdrawal,
        }
    name = f"consent-{consent.protocol}-v{consent.template.version}-{consent.signed_at:%Y%m%d}"
    return Document("documents/consent.html", context, lang, name)


def _points(session, lang: str) -> list[dict]:
    k = load()
    p = k.protocols[session.protocol]
    zones = {z.id: text(z.label, lang) for z in p.zones}
    techniques = {t: text(k.techniques[t].label, lang) for t in k.techniques}
    return [
        {
            "n": n,
            "stage": pt.stage,
            "view": pt.view,
            "x": pt.x,
            "y": pt.y,
            "zone": zones.get(pt.zone, pt.zone),
            "side": pt.side,
            "technique": techniques.get(pt.technique, pt.technique),
            "depth_mm": pt.depth_mm,
            "volume_ml": pt.volume_ml,
            "product": pt.lot.product.name,
            "lot_number": pt.lot.lot_number,
            "expiry": pt.lot.expiry,
        }
        for n, pt in enumerate(points_of(session), 1)
    ]


def _products(points: list[dict]) -> list[dict]:
    """Volume per product and lot, in the order first used."""
    out: dict[tuple, dict] = {}
    for pt in points:
        key = (pt["product"], pt["lot_number"])
        row = out.setdefault(
            key, {"product": pt["product"], "lot_number": pt["lot_number"], "expiry": pt["expiry"]}
        )
        row["volume_ml"] = row.get("volume_ml", 0) + pt["volume_ml"]
        row["points"] = row.get("points", 0) + 1
    return list(out.values())


def session_document(session) -> Document:
    """The session record: the diagram with its numbered points, each point's zone,
    technique, depth, volume, product and lot, totals per product and lot, and who signed."""
    patient = session.patient
    lang = patient_language(patient)
    with translation.override(lang):
        k = load()
        points = _points(session, lang)
        context = {
            **_base(patient, lang),
            "session": session,
            "protocol": protocol_title(session.protocol, lang),
            "points": points,
            "views": [
                (view, drawing, [pt for pt in points if pt["view"] == view])
                for view, drawing in diagram.views_for(k, session.protocol)
            ],
            "products": _products(points),
            "total_ml": sum((pt["volume_ml"] for pt in points), 0),
            "started_at": clinicday.local(session.started_at, patient.clinic),
            "signed_at": session.signed_at and clinicday.local(session.signed_at, patient.clinic),
            "amendments": list(session.amendments.select_related("by")),
        }
    name = f"session-{session.number}-{session.started_at:%Y%m%d}"
    return Document("documents/session.html", context, lang, name)


def aftercare_document(sheet) -> Document:
    """The aftercare sheet with its dates, as stored at sign-off, in the sheet's language."""
    lang = sheet.language if sheet.language in supported() else FALLBACK
    with translation.override(lang), clinicday.activated(sheet.patient.clinic):
        context = {**_base(sheet.patient, lang), **sheet_context(sheet)}
    name = f"aftercare-{sheet.session_end:%Y%m%d}"
    return Document("documents/aftercare.html", context, lang, name)


AUDIENCES = ("patient", "doctor")


def summary_document(patient, plans, consents, events, audience: str = "patient") -> Document:
    """A treatment summary: the plans, every signed session with its products and lots,
    the consents and the side effects; for another doctor, with each session's techniques
    and depths too."""
    lang = patient_language(patient)
    with translation.override(lang):
        rows = []
        for plan in plans:
            sessions = []
            for s in plan.sessions.filter(status="signed").order_by("number"):
                points = _points(s, lang)
                sessions.append(
                    {
                        "session": s,
                        "date": clinicday.local(s.started_at, patient.clinic),
                        "products": _products(points),
                        "total_ml": sum((pt["volume_ml"] for pt in points), 0),
                        "techniques": sorted({pt["technique"] for pt in points}),
                        "depths": sorted({pt["depth_mm"] for pt in points}),
                        "zones": sorted({pt["zone"] for pt in points}),
                    }
                )
            rows.append(
                {"plan": plan, "title": protocol_title(plan.protocol, lang), "sessions": sessions}
            )
        context = {
            **_base(patient, lang),
            "plans": rows,
            "consents": [
                {
                    "consent": c,
                    "title": protocol_title(c.protocol, lang),
                    "signed_at": clinicday.local(c.signed_at, patient.clinic),
                }
                for c in consents
            ],
            "events": [
                {"event": e, "at": clinicday.local(e.reported_at, patient.clinic)} for e in events
            ],
            "audience": audience,
            "doc_title": _("Treatment summary for another doctor")
            if audience == "doctor"
            else _("Your treatment summary"),
        }
    name = f"treatment-summary-{patient.family_name}"
    return Document("documents/summary.html", context, lang, name)
