"""Issue 15: hypothesis over the engine commands' input. Whatever the JSON (valid shapes
with hostile values, wrong types, unknown fields, broken text) and whatever the
arguments, a command exits 0 or 2, prints one line on stderr when it refuses, and never
a traceback or an internal error. Counts printed with -s (recorded in docs/benchmarks.md).
"""

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesoclinic.cli.engine_cli import run
from mesoclinic.engine.knowledge import PROTOCOL_IDS

TALLY: Counter = Counter()
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

texts = st.text(max_size=30)  # every code point, controls and NUL included
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),  # years 1 to 9999
    texts,
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", ""]),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), texts, dates
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)  # fmt: skip
FACTS = [
    "birth_date", "pregnant", "breastfeeding", "diabetes", "cancer_treatment", "anticoagulants",
    "last_aspirin_or_nsaid", "allergies", "isotretinoin_last_dose", "keloid_tendency",
    "last_filler_or_other_injectable", "planned_sun_exposure",
]  # fmt: skip
protocols = st.one_of(st.sampled_from(PROTOCOL_IDS), texts)
screen_docs = st.fixed_dictionaries(
    {"protocol": protocols, "date": dates},
    optional={
        "patient": st.dictionaries(
            st.sampled_from(FACTS) | texts, st.one_of(dates, scalars, values), max_size=6
        ),
        "products": st.lists(
            st.fixed_dictionaries(
                {"name": texts}, optional={"ingredients": st.lists(texts, max_size=3)}
            ),
            max_size=2,
        )
        | values,
        "last_sessions": st.dictionaries(st.sampled_from(["lipolytic"]) | texts, dates),
        "extra": values,
    },
)
triage_docs = st.fixed_dictionaries(
    {
        "protocol": protocols,
        "hours_since_session": st.one_of(st.floats(allow_nan=True), st.integers(), texts),
        "severity": st.one_of(st.sampled_from(["mild", "moderate", "severe"]), texts),
        "fever": st.one_of(st.booleans(), scalars),
        "symptoms": st.one_of(st.lists(st.sampled_from(["nodules", "bruising", "pain"]) | texts), scalars),
    },
    optional={"notes": st.one_of(texts, scalars)},
)  # fmt: skip


def _check(capsys, kind: str, args: list[str]) -> None:
    code = run(args)
    out, err = capsys.readouterr()
    ok = code in (0, 2) and "Traceback" not in err and "internal error" not in err
    if code == 2:
        ok = ok and len(err.strip().splitlines()) == 1 and out == ""
    if code == 0:
        ok = ok and json.loads(out) is not None
    TALLY[(kind, "held" if ok else "failed")] += 1
    assert ok, f"{args[:1]} -> exit {code}: {err.strip()[:300]}"


@FUZZ
@given(doc=st.one_of(screen_docs, values))
def test_screen_json(capsys, tmp_path, doc):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    _check(capsys, "screen", ["screen", "--input", str(path)])


@FUZZ
@given(doc=st.one_of(triage_docs, values))
def test_triage_json(capsys, tmp_path, doc):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    _check(capsys, "triage", ["triage", "--input", str(path)])


@FUZZ
@given(raw=st.binary(max_size=200))
def test_broken_bytes(capsys, tmp_path, raw):
    path = tmp_path / "in.json"
    path.write_bytes(raw)
    _check(capsys, "bytes", ["screen", "--input", str(path)])


@FUZZ
@given(
    protocol=protocols,
    start=dates,
    sessions=st.one_of(st.integers(-5, 10**6).map(str), texts),
    end=st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+03:00"), texts),
)
def test_plan_and_aftercare_arguments(capsys, protocol, start, sessions, end):
    if protocol.startswith("-") or start.startswith("-") or sessions.startswith("-"):
        protocol, start = protocol.lstrip("-") or "x", start.lstrip("-") or "x"
        sessions = sessions.lstrip("-") or "1"
    _check(
        capsys, "plan", ["plan", "--protocol", protocol, "--start", start, "--sessions", sessions]
    )
    _check(
        capsys,
        "aftercare",
        ["aftercare", "--protocol", protocol, "--session-end", end.lstrip("-") or "x"],
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=st.text(max_size=200), day=st.integers(-3, 10**5))
def test_ask_arguments(capsys, question, day):
    question = question.lstrip("-") or "?"
    _check(capsys, "ask", ["ask", question, "--day", str(day)])


def test_zz_print_counts():
    for (kind, outcome), n in sorted(TALLY.items()):
        print(f"fuzz {kind}: {outcome} {n}")
    assert TALLY
