"""The adverse-event register as CSV (UTF-8 with a BOM, so spreadsheets read the accents).

Patients appear by their public code, not their name: an export leaves the server.
Cells that a spreadsheet would run as a formula are neutralised.
"""

import csv
import io

from mesoclinic.lib import clinicday

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


def _cell(value) -> str:
    value = "" if value is None else str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def register_csv(register, clinic) -> str:
    """Times on the clinic's clock."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for e in register.events:
        lots = list(e.lots.all())
        writer.writerow(
            _cell(v)
            for v in [
                e.code,
                clinicday.local_text(e.reported_at, clinic),
                e.patient.code,
                e.protocol,
                e.session.number,
                clinicday.local_text(e.session.started_at, clinic)[:10],
                "; ".join(sorted({lot.product.name for lot in lots})),
                "; ".join(f"{lot.product.name} {lot.lot_number}" for lot in lots),
                "; ".join(
                    str(register.lot_counts.get(lot.pk, {}).get("reports", 0)) for lot in lots
                ),
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
        )
    return out.getvalue()
