"""Issue 11's evaluation of `ask` and of triage notes, on a set written independently of the
lexicon (tests/ask/eval/). Scored per category and language, for each split:

  warning         kind `urgent` and level at least the item's `min_level`
  refuse          kind `refuse`
  answer          kind `answer` and every fact group present in the answer
  self_treatment  the same as answer (a safety answer, never instructions)
  multi           each expected part: the answer's part closest to it (by shared words) has
                  the expected kind and, for an answer, every fact group; a part expected
                  as a level ("emergency") is an `urgent` part at that level or above
  triage notes    level at least `min_level`; benign notes: how many raised a sign

The held-out splits (held-out, held-out2) are frozen and reported only as aggregate percentages: never tune on them.
Run alone: python -m bench.ask_eval [--dev] [--details]   (--dev: the dev splits only, dev
to dev4; --details lists the misses of the dev splits, never of the held-out split)
"""

import math
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

from bench.common import Result
from mesoclinic.engine.ask import ask
from mesoclinic.engine.inputs import TriageInput
from mesoclinic.engine.knowledge import load, normalize
from mesoclinic.engine.triage import triage

EVAL = Path(__file__).resolve().parents[1] / "tests" / "ask" / "eval"
SPLITS = {
    "dev": "dev.yaml",
    "dev2": "dev2.yaml",
    "dev3": "dev3.yaml",
    "dev4": "dev4.yaml",
    "held-out": "heldout.yaml",
    "held-out2": "heldout2.yaml",
}
NOTES = {
    "dev": "triage_notes_dev.yaml",
    "dev2": "triage_notes_dev2.yaml",
    "dev4": "triage_notes_dev4.yaml",
    "held-out": "triage_notes_heldout.yaml",
    "held-out2": "triage_notes_heldout2.yaml",
}
DEV = (
    "dev",
    "dev2",
    "dev3",
    "dev4",
)  # tuned on (dev3: questions only); the held-out split never is
RANK = {"none": -1, "expected": 0, "contact_clinic": 1, "urgent": 2, "emergency": 3}
CATEGORIES = ("warning", "refuse", "answer", "self_treatment", "multi")
TARGETS = {"warning": 100.0, "refuse": 95.0, "answer": 90.0}


def items(split: str) -> list[dict]:
    return yaml.safe_load((EVAL / SPLITS[split]).read_text(encoding="utf-8"))


def notes(split: str) -> list[dict]:
    if split not in NOTES:
        return []
    return yaml.safe_load((EVAL / NOTES[split]).read_text(encoding="utf-8"))


def has_facts(answer: str, facts: list[list[str]]) -> bool:
    text = normalize(answer)
    return all(any(normalize(f) in text for f in group) for group in facts)


def _words(text: str) -> set[str]:
    return set(normalize(text).replace("?", " ").replace(",", " ").split())


def correct(item: dict, out: dict) -> bool:
    cat = item["category"]
    if cat == "warning":
        level = out.get("level") or "expected"
        return out["kind"] == "urgent" and RANK[level] >= RANK[item["min_level"]]
    if cat == "refuse":
        return out["kind"] == "refuse"
    if cat in ("answer", "self_treatment"):
        return out["kind"] == "answer" and has_facts(out["answer"], item["facts"])
    for part in item["parts"]:
        got = max(out["parts"], key=lambda p, t=part["text"]: len(_words(p["text"]) & _words(t)))
        if not _part_kind(got, part["expect"]):
            return False
        if part["expect"] == "answer" and not has_facts(got["answer"], part.get("facts", [])):
            return False
    return True


def _part_kind(got: dict, expect: str) -> bool:
    """A part's kind; a part expected as "emergency" (a level, as dev4 writes it) is an
    `urgent` answer at that level or above."""
    if expect in RANK and expect not in ("urgent", "none", "expected"):
        return got["kind"] == "urgent" and RANK[got.get("level") or "expected"] >= RANK[expect]
    return got["kind"] == expect


def run_items(qs: list[dict]) -> list[tuple[dict, dict, float]]:
    ask("warm up: load the knowledge and build the indexes")  # the first call is not timed
    out = []
    for q in qs:
        start = time.perf_counter()
        answer = ask(q["text"], lang=q["lang"])
        out.append((q, answer, (time.perf_counter() - start) * 1000))
    return out


def note_level(k, n: dict) -> dict:
    inp = TriageInput(
        protocol=n["protocol"],
        hours_since_session=float(n["hours_since_session"]),
        severity=n["severity"],
        fever=bool(n["fever"]),
        symptoms=list(n["symptoms"]),
        notes=n["notes"],
    )
    return triage(k, inp, n["lang"])


def scores(split: str) -> dict:
    """Per category and language: (right, total); notes; latencies."""
    k = load()
    runs = run_items(items(split))
    by: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for q, out, _ms in runs:
        ok = correct(q, out)
        for key in ((q["category"], q["lang"]), (q["category"], "all")):
            by[key][0] += ok
            by[key][1] += 1
    signs, benign = [0, 0], [0, 0]
    for n in notes(split):
        out = note_level(k, n)
        if n["min_level"] == "none":
            benign[0] += bool(out["signs"])
            benign[1] += 1
        else:
            signs[0] += RANK[out["level"]] >= RANK[n["min_level"]]
            signs[1] += 1
    times = sorted(ms for _q, _o, ms in runs)
    return {
        "by": dict(by),
        "notes": signs,
        "benign": benign,
        "p95": times[math.ceil(0.95 * len(times)) - 1] if times else 0.0,
        "p50": statistics.median(times) if times else 0.0,
    }


def _pct(pair: list[int]) -> float:
    return 100 * pair[0] / pair[1] if pair[1] else 0.0


def results(splits: tuple[str, ...] = tuple(SPLITS)) -> list[Result]:
    out = []
    for split in splits:
        s = scores(split)
        for cat in CATEGORIES:
            pair = s["by"].get((cat, "all"), [0, 0])
            langs = " / ".join(
                f"{lang} {_pct(s['by'][(cat, lang)]):.0f}%"
                for lang in ("en", "tr")
                if (cat, lang) in s["by"]
            )
            target = TARGETS.get(cat)
            goal = f">= {target:g}%" if target is not None else ""
            met = None if target is None else _pct(pair) >= target
            out.append(
                Result(f"{split}: {cat} ({pair[1]}; {langs})", _pct(pair), "%", goal=goal, met=met)
            )
        if s["notes"][1]:
            out += _note_results(split, s)
        out.append(
            Result(
                f"{split}: ask latency p95 (p50 {s['p50']:.2f} ms)",
                s["p95"],
                "ms",
                goal="< 50 ms",
                met=s["p95"] < 50,
            )
        )
    return out


def _note_results(split: str, s: dict) -> list[Result]:
    return [
        Result(
            f"{split}: triage notes with a warning sign at its level ({s['notes'][1]})",
            _pct(s["notes"]),
            "%",
            goal="100%",
            met=s["notes"][0] == s["notes"][1],
        ),
        Result(
            f"{split}: benign triage notes that raised a sign ({s['benign'][1]}, over-reading)",
            _pct(s["benign"]),
            "%",
        ),
    ]


def details(split: str = "dev") -> None:
    """The misses of a dev split (never of the held-out one)."""
    if split not in DEV:
        raise ValueError("the held-out split's misses are never listed")
    k = load()
    for q, out, _ms in run_items(items(split)):
        if not correct(q, out):
            parts = [(p["text"], p["kind"]) for p in out["parts"]]
            print(
                f"- {q['id']} [{q['lang']}/{q['category']}] {q['text']!r}: got {out['kind']}"
                f" {out.get('level') or out.get('section') or ''} {parts if len(parts) > 1 else ''}"
            )
    for n in notes(split):
        out = note_level(k, n)
        bad = (n["min_level"] == "none" and out["signs"]) or (
            n["min_level"] != "none" and RANK[out["level"]] < RANK[n["min_level"]]
        )
        if bad:
            print(f"- note {n['id']} {n['notes']!r}: {out['level']} {out['signs']}")


if __name__ == "__main__":  # pragma: no cover
    from bench.common import table

    print(table(results(DEV if "--dev" in sys.argv else tuple(SPLITS))))
    if "--details" in sys.argv:
        for split in DEV:
            details(split)
