"""VAT per line, rounded half up to the minor unit; invoice totals are sums of lines."""

from decimal import Decimal

import pytest

from mesoclinic.lib import money


def test_vat_included_is_taken_out_of_the_price_and_rounded_per_line():
    # 100.00 with 20 % included: net 83.33, VAT 16.67 (16.666... rounds up)
    a = money.line_amounts(10000, Decimal(1), Decimal(20))
    assert (a.net, a.vat, a.gross) == (8333, 1667, 10000)


def test_vat_added_to_a_net_price():
    a = money.line_amounts(999, Decimal(3), Decimal(18), prices_include_vat=False)
    # 29.97 net, 18 % = 5.3946 -> 5.39
    assert (a.net, a.vat, a.gross) == (2997, 539, 3536)


def test_half_a_minor_unit_rounds_up():
    # 0.25 mL at 0.10 per mL = 0.025 -> 0.03 (half up, not banker's 0.02)
    a = money.line_amounts(10, Decimal("0.25"), Decimal(0), prices_include_vat=False)
    assert a.net == 3


def test_invoice_vat_is_the_sum_of_rounded_line_vats_not_a_rerounded_total():
    # three lines of 0.10 net at 25 %: each VAT 0.025 -> 0.03, so the invoice has 0.09;
    # rounding the total (0.075) would give 0.08 and the lines would not add up.
    lines = [
        (Decimal(25), money.line_amounts(10, Decimal(1), Decimal(25), prices_include_vat=False))
        for _ in range(3)
    ]
    t = money.totals(lines)
    assert t["vat"] == 9 and t["net"] == 30 and t["gross"] == 39
    assert t["by_rate"] == {Decimal(25): {"net": 30, "vat": 9, "gross": 39}}


def test_totals_per_rate_keep_rates_apart():
    lines = [
        (Decimal(20), money.line_amounts(12000, Decimal(1), Decimal(20))),
        (Decimal(10), money.line_amounts(11000, Decimal(1), Decimal(10))),
    ]
    t = money.totals(lines)
    assert t["by_rate"][Decimal(20)]["vat"] == 2000
    assert t["by_rate"][Decimal(10)]["vat"] == 1000
    assert t["gross"] == 23000


def test_discount_comes_off_before_vat_and_never_below_zero():
    a = money.line_amounts(12000, Decimal(1), Decimal(20), discount=2000)
    assert (a.gross, a.vat) == (10000, 1667)
    with pytest.raises(ValueError):
        money.line_amounts(100, Decimal(1), Decimal(20), discount=101)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money.line_amounts(10.5, Decimal(1), Decimal(20))


@pytest.mark.parametrize(
    "typed,minor",
    [("1250.50", 125050), ("1.250,50", 125050), ("1,250.50", 125050), ("12,5", 1250), ("7", 700)],
)
def test_amounts_typed_by_people(typed, minor):
    assert money.parse_amount(typed) == minor


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "NaN", "Infinity"])
def test_bad_amounts_are_refused(typed):
    with pytest.raises(ValueError):
        money.parse_amount(typed)


def test_formatting_per_language():
    assert money.format_amount(123456, "TRY") == "1,234.56 TRY"
    assert money.format_amount(123456, "TRY", language="tr") == "1.234,56 TRY"
    assert money.format_amount(-500, "EUR") == "-5.00 EUR"
