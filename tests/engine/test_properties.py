"""Property-based tests of the screening engine."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesoclinic.engine.inputs import Product
from mesoclinic.engine.knowledge import PROTOCOL_IDS, load
from mesoclinic.engine.screening import RANK, screen

K = load()
PRODUCT_POOL = [
    Product("HA cocktail", ["hyaluronic acid", "lidocaine"]),
    Product("Silicium", ["monomethylsilanetriol"]),
    Product("Lipo mix", ["sodium deoxycholate"]),
    Product("Oily", ["vitamin c"], "oil"),
    Product("Vitamins", ["biotin", "vitamin b5"]),
]
ALLERGY_POOL = [
    "lidocaine",
    "aspirin",
    "hyaluronic acid",
    "nickel",
    "local anaesthetics",
    "biotin",
    "EMLA",
    "Novocain",
    "lidocain",
    "numbing cream",
]
DEVICE_POOL = ["pacemaker", "ICD", "kalp pili", "cochlear implant", "hip replacement"]
DAY0 = dt.date(2026, 1, 1)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def protocols():
    return st.sampled_from([p for p in PROTOCOL_IDS if p in K.protocols])


@st.composite
def _recent_pair(draw, first: dt.date, last: dt.date):
    lo = draw(st.none() | st.dates(first, last))
    hi = draw(st.none() | st.dates(first, last)) if lo is None else draw(st.dates(lo, last))
    return lo, hi


@st.composite
def fact_pair(draw, fact, on: dt.date):
    """(less risky, more or equally risky) answers to one question."""
    if fact.type == "bool":
        lo = draw(st.booleans())
        return lo, lo or draw(st.booleans())
    if fact.type == "enum":
        i = draw(st.integers(0, len(fact.values) - 1))
        return fact.values[i], fact.values[draw(st.integers(i, len(fact.values) - 1))]
    if fact.type == "date":  # birth date: born later = younger = riskier
        lo = draw(st.dates(on - dt.timedelta(days=365 * 80), on))
        return lo, draw(st.dates(lo, on))
    if fact.type == "date_or_null":  # a more recent date is riskier; never is the least
        return draw(_recent_pair(on - dt.timedelta(days=400), on + dt.timedelta(days=10)))
    pool = DEVICE_POOL if fact.type == "devices" else ALLERGY_POOL
    lo = draw(st.lists(st.sampled_from(pool), unique=True))
    return lo, lo + [a for a in draw(st.lists(st.sampled_from(pool), unique=True)) if a not in lo]


@st.composite
def paired_requests(draw):
    protocol = draw(protocols())
    on = draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
    lo, hi = {}, {}
    for fact in K.facts.values():
        if draw(st.integers(0, 9)) == 0:
            continue  # unanswered in both
        lo[fact.id], hi[fact.id] = draw(fact_pair(fact, on))
    chosen = draw(st.lists(st.integers(0, len(PRODUCT_POOL) - 1), unique=True, max_size=3))
    more = draw(st.lists(st.integers(0, len(PRODUCT_POOL) - 1), unique=True, max_size=2))
    products_lo = [PRODUCT_POOL[i] for i in chosen]
    products_hi = products_lo + [PRODUCT_POOL[i] for i in more if i not in chosen]
    last_lo, last_hi = draw(_recent_pair(on - dt.timedelta(days=60), on))
    return (
        (protocol, on, lo, products_lo, {"lipolytic": last_lo} if last_lo else {}),
        (protocol, on, hi, products_hi, {"lipolytic": last_hi} if last_hi else {}),
    )


@SETTINGS
@given(paired_requests())
def test_adding_a_risk_factor_never_makes_the_decision_less_restrictive(pair):
    (p, on, lo, prod_lo, last_lo), (_, _, hi, prod_hi, last_hi) = pair
    low = screen(K, p, on, lo, prod_lo, last_lo)
    high = screen(K, p, on, hi, prod_hi, last_hi)
    assert RANK[high.decision] >= RANK[low.decision], (low.findings, high.findings)


@SETTINGS
@given(paired_requests(), st.sampled_from(["en", "tr"]))
def test_every_finding_names_a_rule_a_reason_and_sources(pair, lang):
    p, on, facts, products, last = pair[1]
    result = screen(K, p, on, facts, products, last, lang)
    for f in result.findings:
        assert f.rule
        assert f.reason and "{" not in f.reason
        assert len(f.sources) >= 1
        assert all(s in K.sources for s in f.sources)
        assert f.decision in RANK
        if f.decision == "eligible":  # only a timing question that was not asked
            assert f.rule == f"not-asked-{f.facts[0]}" and K.facts[f.facts[0]].optional


@SETTINGS
@given(paired_requests())
def test_the_decision_is_the_most_restrictive_finding_and_is_deterministic(pair):
    p, on, facts, products, last = pair[1]
    result = screen(K, p, on, facts, products, last)
    expected = max((RANK[f.decision] for f in result.findings), default=0)
    assert RANK[result.decision] == expected
    restrictive = [f for f in result.findings if f.decision != "eligible"]
    assert (result.decision == "eligible") == (not restrictive)
    deferrals = [f for f in result.findings if f.decision == "defer"]
    if not deferrals or any(f.defer_until is None for f in deferrals):
        assert result.defer_until is None
    else:
        assert result.defer_until == max(f.defer_until for f in deferrals)
        assert result.defer_until > on
    assert screen(K, p, on, facts, products, last) == result


@SETTINGS
@given(protocols(), st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)), st.data())
def test_an_unanswered_question_never_gives_less_than_review(protocol, on, data):
    answered = {f.id: v for f, v in ((f, data.draw(fact_pair(f, on))[0]) for f in K.facts.values())}
    dropped = data.draw(st.sampled_from(list(answered)))
    del answered[dropped]
    result = screen(K, protocol, on, answered)
    named = [f for f in result.findings if f.rule == f"unanswered-{dropped}"]
    if named:
        assert RANK[result.decision] >= RANK["review"]
        assert named[0].facts == (dropped,)
