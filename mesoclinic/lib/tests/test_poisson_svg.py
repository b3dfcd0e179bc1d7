import math

from mesoclinic.lib import poisson, svgplot


def test_upper_tail_matches_the_poisson_sum():
    lam = 1.5
    p_ge_3 = 1 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(3))
    assert math.isclose(poisson.upper_tail(3, lam), p_ge_3, rel_tol=1e-12)
    assert poisson.upper_tail(0, lam) == 1.0
    assert poisson.upper_tail(2, 0) == 0.0


def test_a_lot_stands_out_only_with_three_cases_well_above_the_clinic_rate():
    # clinic: 10 events in 1000 other sessions (1 %); a lot with 5 events in 50 sessions
    flagged, p, expected = poisson.stands_out(5, 50, 10, 1000)
    assert flagged and expected == 0.5 and p < 0.001
    # 2 events in 10 sessions is a high rate but too few cases
    assert not poisson.stands_out(2, 10, 10, 1000)[0]
    # 6 events in 500 sessions is the clinic's own rate
    assert not poisson.stands_out(6, 500, 10, 1000)[0]


def test_the_chart_is_accessible_and_has_no_inline_style():
    svg = svgplot.bar_chart(
        [svgplot.Bar("W1", 3, "/x?w=1"), svgplot.Bar("W2 <b>", 7, flag=True)],
        title="Sessions",
        desc="Sessions per week",
        ident="s",
    )
    assert 'role="img"' in svg and 'aria-labelledby="s-t s-d"' in svg
    assert "style=" not in svg and "<script" not in svg
    assert '<a href="/x?w=1">' in svg and "bar-flag" in svg and "W2 &lt;b&gt;" in svg
