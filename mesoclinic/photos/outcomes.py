"""Photo measures over a series (a treatment plan): for each plan, the first and the last
measured visit in a date range and the change between them, per measure, over the whole
area of the view (the face on a front view, the scalp on a scalp view, the body area).
Only front, scalp and body views are compared (the 45-degree views are not: their
colour depends on the angle, see docs/photo-measures.md), and only photos whose
capture check passed and whose photo-use consent stands. One query; the values are read
from the stored measure document in SQL (JSON key transforms), not loaded whole."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import FloatField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from .models import Photo

WHOLE_REGION = {"front": "face", "vertex": "scalp", "hairline": "scalp", "body": "body"}
# (key, label, unit, lower is better: True/False, or None when neither way is better)
MEASURES = [
    ("pigmented_area_pct", _("Pigmented area"), "%", True),
    ("erythema_index", _("Erythema index"), "", True),
    ("mean_a_star", _("Redness, mean a*"), "", True),
    ("ita_deg", _("ITA°"), "°", None),
    ("scalp_visible_pct", _("Visible scalp"), "%", True),
]
COLOUR = ["pigmented_area_pct", "erythema_index", "mean_a_star", "ita_deg"]
REGION_MEASURES = {"face": COLOUR, "body": COLOUR, "scalp": ["scalp_visible_pct"]}


def _value(region: str, key: str) -> Cast:
    """analysis -> regions -> region -> key, read in SQL as a number (null when absent):
    no JSON is decoded in Python, row by row."""
    path = KeyTextTransform(key, KeyTransform(region, KeyTransform("regions", "analysis")))
    return Cast(path, FloatField())


@dataclass
class Series:
    plan_code: str
    patient_code: str
    patient_name: str
    protocol: str
    first: dt.date
    last: dt.date
    visits: int
    measures: dict  # key -> (first value, last value)


def _photos(clinic, start: dt.date, end: dt.date, practitioner=None, protocol=None):
    qs = Photo.objects.filter(
        patient__clinic=clinic,
        consent__withdrawn_at__isnull=True,
        session__isnull=False,
        view__in=list(WHOLE_REGION),
        quality_ok=True,
        taken_on__gte=start,
        taken_on__lte=end,
    )
    if practitioner is not None:
        qs = qs.filter(session__signed_by=practitioner)
    if protocol:
        qs = qs.filter(session__protocol=protocol)
    return qs


def series(clinic, start, end, *, practitioner=None, protocol=None, names=False) -> list[Series]:
    """The plans with at least two measured visits in the range (first and last in it)."""
    fields = ["session__plan_id", "session__protocol", "taken_on", "view"]
    if names:  # the list behind the figure: which patient, which plan
        fields += ["session__plan__code", "patient__code", "patient__given_name"]
        fields += ["patient__family_name"]
    values = {
        f"m_{region}__{key}": _value(region, key)
        for region, keys in REGION_MEASURES.items()
        for key in keys
    }
    rows = (
        _photos(clinic, start, end, practitioner, protocol)
        .order_by("session__plan_id", "taken_on", "id")
        .values(*fields, **values)
    )
    by_plan: dict = defaultdict(list)
    for row in rows:
        by_plan[row["session__plan_id"]].append(row)
    out = []
    for photos in by_plan.values():
        measures = {}
        for key, _label, _unit, _better in MEASURES:
            points = []
            for row in photos:
                value = row.get(f"m_{WHOLE_REGION[row['view']]}__{key}")
                if value is not None:
                    points.append((row["taken_on"], float(value)))
            if len({d for d, _v in points}) >= 2:
                measures[key] = (points[0][1], points[-1][1])
        if not measures:
            continue
        first = photos[0]
        out.append(
            Series(
                plan_code=str(first.get("session__plan__code", "")),
                patient_code=str(first.get("patient__code", "")),
                patient_name=(
                    f"{first['patient__given_name']} {first['patient__family_name']}"
                    if names
                    else ""
                ),
                protocol=first["session__protocol"],
                first=first["taken_on"],
                last=photos[-1]["taken_on"],
                visits=len({r["taken_on"] for r in photos}),
                measures=measures,
            )
        )
    return out


def summary(all_series: list[Series]) -> list[dict]:
    """Per protocol and measure: series, mean first and last value, mean change, and how
    many series moved the better way (None for a measure with no better way)."""
    groups: dict = defaultdict(list)
    for s in all_series:
        for key, (a, b) in s.measures.items():
            groups[(s.protocol, key)].append((a, b))
    info = {key: (label, unit, better) for key, label, unit, better in MEASURES}
    order = {key: i for i, (key, *_rest) in enumerate(MEASURES)}
    out = []
    for (protocol, key), pairs in sorted(
        groups.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])
    ):
        label, unit, better = info[key]
        n = len(pairs)
        improved = None
        if better is not None:
            improved = sum(1 for a, b in pairs if (b < a if better else b > a))
        out.append(
            {
                "protocol": protocol,
                "key": key,
                "label": label,
                "unit": unit,
                "series": n,
                "first": sum(a for a, _b in pairs) / n,
                "last": sum(b for _a, b in pairs) / n,
                "change": sum(b - a for a, b in pairs) / n,
                "improved": improved,
                "improved_pct": None if improved is None else 100 * improved / n,
            }
        )
    return out
