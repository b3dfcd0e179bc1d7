"""Issue 11's evaluation set (tests/ask/eval/), written independently of the lexicon.

The held-out split is frozen: its files' SHA-256 are recorded here, so any edit fails. It
is scored only by the benchmark (`python -m bench ask`), never asserted here, so that no one
tunes the lexicon against a failing test. The dev splits (dev, dev2) are asserted with
thresholds.
"""

import hashlib
from pathlib import Path

import pytest

from bench import ask_eval

EVAL = Path(__file__).resolve().parent / "eval"
FROZEN = {
    "heldout.yaml": "00560cdc715a46d68ce9144ef29da0896e66ee5d2fd5779193123826691eee3c",
    "triage_notes_heldout.yaml": "a6c7972d5df91432ff41e8d8a5d7cb136189c7c64205f334e089afa372f0deed",
    # held-out2: written in round 3 by the independent author of dev4, scored by the lead only
    "heldout2.yaml": "bfc6bd1cdcced35012ec5bdb314a9a8c33110dd0b978fa993987d4db7fab9de1",
    "triage_notes_heldout2.yaml": "605d66b51dc79bfdbdf1d4b335a4bef599f1fb2a149af8dd8b639c8b2225d689",
}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_the_held_out_split_is_frozen(name):
    assert hashlib.sha256((EVAL / name).read_bytes()).hexdigest() == FROZEN[name]


@pytest.fixture(scope="module")
def dev():
    return ask_eval.scores("dev")


def pct(pair):
    return 100 * pair[0] / pair[1]


# Thresholds on dev. Answers are below the 90% target (see docs/benchmarks.md).
@pytest.mark.parametrize(
    ("category", "at_least"),
    [("warning", 100), ("refuse", 95), ("self_treatment", 90), ("multi", 90), ("answer", 60)],
)
def test_dev_scores(dev, category, at_least):
    assert pct(dev["by"][(category, "all")]) >= at_least


def test_dev_triage_notes_reach_their_level_and_seldom_over_read(dev):
    assert dev["notes"][0] == dev["notes"][1]
    assert pct(dev["benign"]) <= 25


@pytest.fixture(scope="module")
def dev2():
    return ask_eval.scores("dev2")


# dev2 was written after round 1 by the same independent author; round 2 was tuned on it.
@pytest.mark.parametrize(
    ("category", "at_least"),
    [("warning", 100), ("refuse", 88), ("self_treatment", 95), ("multi", 40), ("answer", 55)],
)
def test_dev2_scores(dev2, category, at_least):
    assert pct(dev2["by"][(category, "all")]) >= at_least


def test_dev2_triage_notes_reach_their_level(dev2):
    assert dev2["notes"][0] == dev2["notes"][1]
    assert pct(dev2["benign"]) <= 25


@pytest.mark.parametrize("split", ["held-out", "held-out2"])
def test_the_held_out_misses_are_never_listed(split):
    with pytest.raises(ValueError):
        ask_eval.details(split)


def test_scoring_rules():
    warn = {"category": "warning", "min_level": "urgent"}
    assert ask_eval.correct(warn, {"kind": "urgent", "level": "emergency"})
    assert not ask_eval.correct(warn, {"kind": "answer"})
    ans = {"category": "answer", "facts": [["24 saat", "bir gün"], ["makyaj"]]}
    assert ask_eval.correct(ans, {"kind": "answer", "answer": "Makyaj için 24 SAAT bekleyin."})
    assert not ask_eval.correct(ans, {"kind": "answer", "answer": "24 saat bekleyin."})
    multi = {
        "category": "multi",
        "parts": [
            {"text": "when can I wash my hair", "expect": "answer", "facts": [["2 days"]]},
            {"text": "which shampoo brand is best", "expect": "refuse"},
        ],
    }
    parts = [
        {"text": "when can I wash my hair", "kind": "answer", "answer": "After 2 days."},
        {"text": "which shampoo brand is best?", "kind": "refuse", "answer": "…"},
    ]
    assert ask_eval.correct(multi, {"kind": "answer", "parts": parts})
    assert not ask_eval.correct(multi, {"kind": "answer", "parts": parts[:1]})


def test_a_multi_part_expected_as_a_level_is_an_urgent_part_at_that_level():
    multi = {
        "category": "multi",
        "parts": [
            {"text": "when can I wear make-up", "expect": "answer", "facts": [["24"]]},
            {"text": "my lip keeps swelling", "expect": "emergency"},
        ],
    }
    make_up = {"text": "when can I wear make-up?", "kind": "answer", "answer": "After 24 hours."}
    lip = {"text": "my lip keeps swelling", "kind": "urgent", "level": "emergency"}
    assert ask_eval.correct(multi, {"kind": "urgent", "parts": [make_up, lip]})
    lip_urgent = {**lip, "level": "urgent"}
    assert not ask_eval.correct(multi, {"kind": "urgent", "parts": [make_up, lip_urgent]})
