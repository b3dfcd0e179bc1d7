"""The adverse-event register as CSV (lib.csvfile: UTF-8 with a BOM, formulas neutralised).

Patients appear by their public code, not their name: an export leaves the server.
"""

from mesoclinic.lib import clinicday
from mesoclinic.lib.csvfile import csv_text

HEADER = [
    "event",
    "reported_at",
    "patient",
    "protocol",
    "session",
    "session_date",
    "products",
    "lots",
    "lot_reports",
    "source",
    "symptoms",
    "severity",
    "fever",
    "hours_since_session",
    "triage_level",
    "triage_rules",
    "knowledge_version",
    "ctcae_grade",
    "actions_taken",
    "outcome",
    "resolved_at",
]


def register_csv(register, clinic) -> str:
    """Times on the clinic's clock."""
    return csv_text(HEADER, _rows(register, clinic))


def _rows(register, clinic):
    for e in register.events:
        lots = list(e.lots.all())
        yield [
            e.code,
            clinicday.local_text(e.reported_at, clinic),
            e.patient.code,
            e.protocol,
            e.session.number,
            clinicday.local_text(e.session.started_at, clinic)[:10],
            "; ".join(sorted({lot.product.name for lot in lots})),
            "; ".join(f"{lot.product.name} {lot.lot_number}" for lot in lots),
            "; ".join(str(register.lot_counts.get(lot.pk, {}).get("reports", 0)) for lot in lots),
            e.source,
            "; ".join(e.symptoms),
            e.severity,
            "yes" if e.fever else "no",
            e.hours_since_session,
            e.level,
            "; ".join(e.triage.get("rules", [])),
            e.triage.get("knowledge_version", ""),
            e.ctcae_grade or "",
            e.actions_taken,
            e.outcome,
            clinicday.local_text(e.resolved_at, clinic),
        ]
