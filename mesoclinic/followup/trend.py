"""The GAIS trend as coordinates for a small inline SVG line chart (no script, no library).

Scores run 1 (very much improved) to 5 (worse); 1 is drawn at the top. One line per rater.
"""

from dataclasses import dataclass, field

from .models import GAIS_LABELS, Rater

WIDTH, HEIGHT = 340, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 10, 24


@dataclass
class Series:
    rater: str
    label: str
    points: str = ""  # the polyline's "x,y x,y"
    dots: list[dict] = field(default_factory=list)


@dataclass
class Trend:
    width: int
    height: int
    series: list[Series]
    grid: list[dict]  # one line per score: y and its label
    ticks: list[dict]  # first and last dates: x and text


def _y(score: int) -> float:
    return TOP + (score - 1) * (HEIGHT - TOP - BOTTOM) / 4


def gais_trend(scores) -> Trend | None:
    if not scores:
        return None
    days = sorted({s.rated_on for s in scores})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    inner = WIDTH - LEFT - RIGHT

    def x(day) -> float:
        if first == last:
            return LEFT + inner / 2
        return LEFT + (day - first).days * inner / span

    labels = dict(GAIS_LABELS)
    series = []
    for rater, label in Rater.choices:
        mine = sorted((s for s in scores if s.rater == rater), key=lambda s: (s.rated_on, s.pk))
        if not mine:
            continue
        dots = [
            {
                "x": round(x(s.rated_on), 1),
                "y": round(_y(s.score), 1),
                "title": f"{s.rated_on:%Y-%m-%d}: {s.score} · {labels[s.score]}",
            }
            for s in mine
        ]
        points = " ".join(f"{d['x']},{d['y']}" for d in dots)
        series.append(Series(rater, str(label), points, dots))
    grid = [{"y": round(_y(n), 1), "n": n, "label": str(labels[n])} for n in range(1, 6)]
    ticks = [
        {
            "x": round(x(first), 1),
            "text": f"{first:%Y-%m-%d}",
            "anchor": "start" if last != first else "middle",
        }
    ]
    if last != first:
        ticks.append({"x": round(x(last), 1), "text": f"{last:%Y-%m-%d}", "anchor": "end"})
    return Trend(WIDTH, HEIGHT, series, grid, ticks)
