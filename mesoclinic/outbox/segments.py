"""How many SMS segments a text takes, counted as the networks count them (3GPP TS 23.038
and 23.040).

A text written only in the GSM 7-bit default alphabet takes 160 characters in one
segment, 153 per segment when it is split (the rest carries the joining header); the
extension characters ^ { } \\ [ ] ~ | € take two. One character outside that alphabet
(Turkish ç ğ ı İ ş Ş Ğ, curly quotes, an ellipsis, an emoji) turns the whole text into
UCS-2: 70 UTF-16 units in one segment, 67 per segment when split, an emoji two units.
Of the Turkish letters, Ç Ö Ü ö ü are in the GSM alphabet; ç ğ ı İ ş are not. (The
Turkish national shift table would keep them in 7 bits, but not every network and
phone supports it, so it is not assumed.) A split never cuts an extension character or a
surrogate pair in two, so the count is the segments a provider actually sends.
"""

from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[]~|€\f")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class Count:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def _units(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1  # a surrogate pair


def count(text: str) -> Count:
    """The encoding, length and number of segments of `text` (0 segments for "")."""
    gsm = is_gsm(text)
    sizes = [_units(ch, gsm) for ch in text]
    total = sum(sizes)
    single, part = (GSM_SINGLE, GSM_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    encoding = "GSM-7" if gsm else "UCS-2"
    if total <= single:
        return Count(encoding, total, 1 if total else 0)
    segments, used = 1, 0
    for size in sizes:  # greedy, never splitting a character's units
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return Count(encoding, total, segments)


def fits(text: str, max_segments: int = 2) -> bool:
    return count(text).segments <= max_segments


def fit(variants: list[str], max_segments: int = 2) -> str:
    """The first of `variants` (richest first) that fits in `max_segments`; else the
    shortest in segments."""
    for text in variants:
        if fits(text, max_segments):
            return text
    return min(variants, key=lambda t: (count(t).segments, len(t)))
