"""CSV exports: one writer for every download.

UTF-8 with a byte-order mark (spreadsheets then read Turkish letters right), CRLF lines,
and every text cell a spreadsheet would run as a formula (starting with =, +, -, @, a tab
or a carriage return) neutralised with a leading apostrophe, so a patient named
`=HYPERLINK(...)` stays a name. Numbers stay numbers. The file name offered for download
is made of safe characters only, whatever the data it is built from (a lot number, say).
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RUNS = re.compile(r"[.-]{2,}")  # no "..", and one dash between words
MAX_NAME = 100


def cell(value) -> str | int | float | Decimal:
    """A value as a cell: None is empty, a number is written as it is, and text that a
    spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(v) for v in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def download_name(*parts, ext: str = "csv") -> str:
    """`lot-AB12-exposure.csv` from ("lot", "AB12", "exposure"): letters, digits, dot,
    dash and underscore only (accents dropped, anything else a dash), never empty."""
    raw = "-".join(str(p) for p in parts if p not in (None, ""))
    ascii_only = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    name = _RUNS.sub("-", _UNSAFE.sub("-", ascii_only)).strip("-.")[:MAX_NAME].strip("-.")
    return f"{name or 'export'}.{ext}"


def csv_response(text: str, *name_parts) -> HttpResponse:
    """A CSV download of `text` (from csv_text), named from `name_parts`."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, download_name(*name_parts))
    return response
