"""Small server-rendered SVG bar charts that pass a strict CSP: no style attributes, no
scripts; colours come from CSS classes (static/dashboard/dashboard.css). Every chart has
a <title> and <desc> (its text equivalent is a table beside it on the page) and each bar
can link to the list behind it. Numbers in the markup are never localised."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36


@dataclass
class Bar:
    label: str  # under the bar (shown for a few bars only when there are many)
    value: float | int
    href: str = ""
    flag: bool = False  # drawn in the alert colour


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return top
    return 10 * magnitude


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(bars: list[Bar], *, title: str, desc: str, ident: str, fmt=str) -> SafeString:
    """A bar chart; `fmt` turns a value into the text of its tick and tooltip."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((b.value for b in bars), default=0))
    if all(isinstance(b.value, int) for b in bars):
        top = max(top, 4)  # counts: whole-number ticks
    n = max(len(bars), 1)
    slot = inner_w / n
    bar_w = max(slot * 0.75, 1)
    label_every = max(1, n // 8)
    out = [
        f'<svg class="plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
    ]
    for i in range(5):  # grid lines and ticks
        value = top * i / 4
        y = TOP + inner_h - inner_h * i / 4
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y)}" y2="{_num(y)}"/>'
            f'<text class="tick" x="{LEFT - 4}" y="{_num(y + 4)}" text-anchor="end">'
            f"{escape(fmt(value))}</text>"
        )
    for i, b in enumerate(bars):
        h = inner_h * (b.value / top) if top else 0
        x = LEFT + i * slot + (slot - bar_w) / 2
        y = TOP + inner_h - h
        rect = (
            f'<rect class="bar{" bar-flag" if b.flag else ""}" x="{_num(x)}" y="{_num(y)}" '
            f'width="{_num(bar_w)}" height="{_num(max(h, 0))}">'
            f"<title>{escape(b.label)}: {escape(fmt(b.value))}</title></rect>"
        )
        out.append(f'<a href="{escape(b.href)}">{rect}</a>' if b.href else rect)
        if i % label_every == 0:
            out.append(
                f'<text class="tick" x="{_num(x + bar_w / 2)}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="middle">{escape(b.label)}</text>'
            )
    out.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + inner_h}" y2="{TOP + inner_h}"/>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
