"""Trends of the measures over all visits, drawn on the server as inline SVG (no script,
no inline style: colours come from photos.css classes, so the page's CSP holds)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from mesoclinic.engine.photo.analysis import FACE_VIEWS

from .models import Photo

MEASURES = [
    ("pigmented_area_pct", _("Pigmented area"), "%"),
    ("mean_a_star", _("Redness, mean a*"), ""),
    ("erythema_index", _("Erythema index"), ""),
    ("ita_deg", _("ITA°"), "°"),
    ("scalp_visible_pct", _("Visible scalp"), "%"),
]
REGION_LABELS = {
    "face": _("whole face"),
    "forehead": _("forehead"),
    "left_cheek": _("left cheek"),
    "right_cheek": _("right cheek"),
    "periorbital": _("under the eyes"),
    "nasolabial": _("nasolabial"),
    "perioral": _("around the mouth"),
    "jawline": _("jawline"),
    "scalp": _("scalp"),
    "body": _("body area"),
}
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 360, 150, 44, 10, 12, 22


def series(photos) -> dict[str, dict[str, list[tuple]]]:
    """measure -> region -> [(date, value)], one point per visit: the front view for the
    face (the view every face protocol takes), else the photo's own view."""
    by_visit: dict = {}
    for p in sorted(photos, key=lambda p: (p.taken_on, p.view != "front", p.pk)):
        if p.view in FACE_VIEWS and p.view != "front":
            continue
        by_visit.setdefault((p.taken_on, p.view, p.area), p)
    out: dict = {}
    for (day, _view, _area), photo in sorted(by_visit.items(), key=lambda kv: kv[0][0]):
        for region, values in (photo.analysis or {}).get("regions", {}).items():
            for key, value in values.items():
                if isinstance(value, int | float):
                    out.setdefault(key, {}).setdefault(region, []).append((day, float(value)))
    return out


def _fmt(v: float) -> str:
    return f"{v:.1f}" if abs(v) < 100 else f"{v:.0f}"


def line_chart(title: str, unit: str, lines: dict[str, list[tuple]], key: str = "t") -> SafeString:
    days = sorted({d for pts in lines.values() for d, _v in pts})
    values = [v for pts in lines.values() for _d, v in pts]
    if not days:
        return mark_safe("")
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    span_days = max((days[-1] - days[0]).days, 1)

    def x(day) -> float:
        if len(days) == 1:
            return PAD_L + (W - PAD_L - PAD_R) / 2
        return PAD_L + (day - days[0]).days / span_days * (W - PAD_L - PAD_R)

    def y(v: float) -> float:
        return PAD_T + (hi - v) / (hi - lo) * (H - PAD_T - PAD_B)

    parts = [
        format_html(
            '<svg class="trend" viewBox="0 0 {} {}" role="img" aria-labelledby="{}"><title id="{}">{}</title>',
            W,
            H,
            f"trend-{key}",
            f"trend-{key}",
            title,
        ),  # fmt: skip
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            PAD_L,
            H - PAD_B,
            W - PAD_R,
            H - PAD_B,
        ),  # fmt: skip
        format_html(
            '<text class="tick" x="{}" y="{}" text-anchor="end">{}{}</text>',
            PAD_L - 4,
            PAD_T + 4,
            _fmt(hi),
            unit,
        ),  # fmt: skip
        format_html(
            '<text class="tick" x="{}" y="{}" text-anchor="end">{}{}</text>',
            PAD_L - 4,
            H - PAD_B,
            _fmt(lo),
            unit,
        ),  # fmt: skip
        format_html(
            '<text class="tick" x="{}" y="{}">{}</text>', PAD_L, H - PAD_B + 14, days[0].isoformat()
        ),  # fmt: skip
    ]
    if len(days) > 1:
        parts.append(format_html('<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                                 W - PAD_R, H - PAD_B + 14, days[-1].isoformat()))  # fmt: skip
    for i, (region, pts) in enumerate(sorted(lines.items())):
        cls = f"s{i % 8}"
        label = REGION_LABELS.get(region, region)
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts)
        parts.append(format_html('<polyline class="line {}" points="{}"/>', cls, coords))
        for d, v in pts:
            parts.append(format_html(
                '<circle class="dot {}" cx="{}" cy="{}" r="2.5"><title>{}: {} {}{}</title></circle>',
                cls, f"{x(d):.1f}", f"{y(v):.1f}", label, d.isoformat(), _fmt(v), unit,
            ))  # fmt: skip
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def charts(photos, regions=None) -> list[dict]:
    """One chart per measure that has at least one value (only `regions` when given):
    [{key, title, svg, legend}]."""
    data = series(photos)
    out = []
    for key, title, unit in MEASURES:
        lines = {r: p for r, p in data.get(key, {}).items() if regions is None or r in regions}
        if not lines:
            continue
        legend = [(f"s{i % 8}", REGION_LABELS.get(r, r)) for i, r in enumerate(sorted(lines))]
        out.append(
            {
                "key": key,
                "title": title,
                "svg": line_chart(str(title), unit, lines, key),
                "legend": legend,
            }
        )
    return out


def patient_trends(patient) -> list[dict]:
    """The trends of one patient's own measures, for the patient portal. The caller must have
    checked that the signed-in patient is this patient; only numbers are drawn, no photo."""
    return charts(
        Photo.objects.filter(patient=patient, consent__withdrawn_at__isnull=True).only(
            "taken_on", "view", "area", "analysis"
        )
    )
