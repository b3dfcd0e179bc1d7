"""SMS segments counted as the networks count them."""

import pytest

from mesoclinic.outbox.segments import count, fit, fits, is_gsm


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 162, 2),
        ("Ödül ÜÇ ö ü", "GSM-7", 11, 1),  # these Turkish letters are in the GSM alphabet
        ("ş" + "a" * 69, "UCS-2", 70, 1),
        ("ş" + "a" * 70, "UCS-2", 71, 2),
        ("ı" * 134, "UCS-2", 134, 2),
        ("ı" * 135, "UCS-2", 135, 3),
        ("😀" * 35, "UCS-2", 70, 1),  # an emoji is a surrogate pair
    ],
)
def test_segments_are_counted_per_encoding(text, encoding, units, segments):
    c = count(text)
    assert (c.encoding, c.units, c.segments) == (encoding, units, segments)


@pytest.mark.parametrize("letter", list("çğıİşŞĞ"))
def test_each_turkish_letter_outside_gsm_switches_to_ucs2(letter):
    text = "Randevu " + letter
    assert not is_gsm(text) and count(text).encoding == "UCS-2"
    assert count("a" * 100).segments == 1 and count("a" * 99 + letter).segments == 2


def test_a_split_never_cuts_an_extension_character_or_a_surrogate_pair():
    # 152 septets then an extension character (2): it moves whole to the second segment
    assert count("a" * 152 + "€" + "a" * 152).segments == 3
    assert count("a" * 66 + "😀" + "ş" * 66).segments == 3


def test_fit_takes_the_richest_variant_that_fits():
    assert fit(["ş" * 200, "ş" * 134, "ş"]) == "ş" * 134
    assert fit(["ş" * 300, "ş" * 200]) == "ş" * 200  # none fits: the shortest
    assert fits("a" * 306) and not fits("a" * 307)
