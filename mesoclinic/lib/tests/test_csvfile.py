"""One CSV writer: formulas neutralised, numbers kept, safe download names."""

import csv
import io
from decimal import Decimal

import pytest

from mesoclinic.lib.csvfile import cell, csv_response, csv_text, download_name


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x.example","x")', "+1 555 0100", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_text_a_spreadsheet_would_run_is_neutralised(value):
    assert cell(value) == "'" + value


def test_other_cells_are_kept_as_they_are():
    assert cell("Ayşe Yılmaz") == "Ayşe Yılmaz"
    assert cell(None) == ""
    assert cell(-3) == -3 and cell(Decimal("-0.5")) == Decimal("-0.5")  # numbers stay numbers
    assert cell(True) == "True"


def test_the_text_has_a_bom_crlf_lines_and_guarded_cells():
    text = csv_text(["name", "phone"], [["=1+1", "+90 555"], ["Ayşe\nYılmaz", 2]])
    assert text.startswith("\ufeffname,phone\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == ["'=1+1", "'+90 555"]
    assert rows[2] == ["Ayşe\nYılmaz", "2"]


@pytest.mark.parametrize(
    "parts,expected",
    [
        (("lot", "AB-12", "exposure"), "lot-AB-12-exposure.csv"),
        (
            ("lot", 'A"1\r\nContent-Type: text/html', "exposure"),
            "lot-A-1-Content-Type-text-html-exposure.csv",
        ),
        (("lot", "../../etc/passwd"), "lot-etc-passwd.csv"),
        (("lot", "Şişe ğ 7"), "lot-Sise-g-7.csv"),
        (("", None), "export.csv"),
        (('"";\\',), "export.csv"),
    ],
)
def test_download_names_are_made_of_safe_characters(parts, expected):
    assert download_name(*parts) == expected


def test_a_long_name_is_cut():
    assert len(download_name("x" * 500)) <= 104


def test_the_response_offers_a_quoted_safe_attachment():
    r = csv_response("\ufeffa\r\n", "lot", 'X"; filename=evil.html')
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == 'attachment; filename="lot-X-filename-evil.html.csv"'
