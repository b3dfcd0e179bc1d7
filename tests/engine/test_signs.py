"""The warning-sign detector (engine/signs.py) and the warning-sign knowledge."""

import pytest

from mesoclinic.engine.inputs import TriageInput
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.schema import KnowledgeError
from mesoclinic.engine.signs import (
    action,
    distance1,
    english,
    flags,
    parse_pattern,
    tokens,
    turkish,
)
from mesoclinic.engine.triage import triage


def signs(k, text, **kw):
    return {(h.sign, h.part) for h in k.signs.detector.detect(text, **kw)}


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("voice has gone raspy since this morning", "airway"),
        ("lips a bit puffy and tight", "airway"),
        ("my tounge feels thick", "airway"),
        ("I can not breathe properly", "airway"),
        ("I feel faint and have hives all over", "airway"),
        ("boğazım daralıyor", "airway"),
        ("dudaklarım şişti", "airway"),
        ("dudagim sisti", "airway"),  # no Turkish letters
        ("sesim kısıldı", "airway"),
        ("my eye does not open fully", "eyes"),
        ("my vison is blury", "eyes"),  # typos
        ("gözüm bulanık görüyor", "eyes"),
        ("göz kapağım düştü", "eyes"),
        ("a purple lace-like pattern on my cheek", "vessel"),
        ("morumsu ve alacalı bir leke", "vessel"),
        ("the pain gets worse every hour", "vessel"),
        ("ağrı giderek artıyor", "vessel"),
        ("yellow discharge from a point", "infection"),
        ("ateşim var", "infection"),
        ("the red patch gets bigger every day", "infection"),
        ("a hard lump came up a month later", "late_lump"),
        ("yanağımda sert bir yumru var", "late_lump"),
    ],
)
def test_signs_are_read_in_both_languages(k, text, sign):
    assert sign in {s for s, _p in signs(k, text)}


@pytest.mark.parametrize(
    "text",
    [
        "no fever",
        "ateşim yok",
        "not hoarse",
        "breathing fine, lips normal",
        "şişlik ya da ateş yok",
        "beyaz ya da mor leke yok",
        "I don't have a fever",
        "small bumps at the injection points are going down",
        "how many sessions for dark circles under my eyes",
        "when will I see results",
        "I have the flu and a fever, should I come to my appointment tomorrow?",
        "what does mesolifting do for skin that looks tired and dull?",
        "",
    ],
)
def test_negated_and_ordinary_words_raise_nothing(k, text):
    assert not signs(k, text)


def test_negation_suppresses_only_the_negated_sign(k):
    found = {s for s, _p in signs(k, "no fever, but my lips are swelling")}
    assert found == {"airway"}
    found = {s for s, _p in signs(k, "ateşim yok ama dudağım şişti")}
    assert found == {"airway"}
    assert {s for s, _p in signs(k, "not hoarse. pus at one point")} == {"infection"}


def test_a_fever_before_an_appointment_counts_only_after_a_session(k):
    text = "I have a fever, should I come to my appointment tomorrow?"
    assert not signs(k, text)
    assert ("infection", "fever") in signs(k, text, after_session=True)
    assert ("infection", "fever") in signs(k, "fever since my session, should I come tomorrow?")


def test_hits_quote_the_words_and_come_most_urgent_first(k):
    hits = k.signs.detector.detect("Pus at one point. Also my voice is hoarse!")
    assert hits[0].sign == "airway" and hits[0].level == "emergency"
    assert hits[0].words == "hoarse"
    assert hits[-1].words == "Pus"
    assert hits[0].as_dict() == {
        "sign": "airway",
        "part": "voice",
        "level": "emergency",
        "words": "hoarse",
    }


def test_a_pattern_stays_within_one_sentence(k):
    assert not signs(k, "Treated around the eye. The area went dark on the menu.")
    assert signs(k, "everything went dark in my eye")


def test_words_tokens_and_typos():
    toks = tokens("I can not see. It doesn't hurt, 38.3 derece")
    assert [t.word for t in toks] == [
        "i",
        "cannot",
        "see",
        "it",
        "doesnt",
        "hurt",
        "38",
        "3",
        "derece",
    ]
    assert toks[2].sentence == 0 and toks[3].sentence == 1 and toks[5].clause < toks[6].clause
    assert "goz" in tokens("Gözümün")[0].stems
    assert english("swelling", "swell") and english("bruising", "bruise")
    assert english("blurry", "blur") and english("dizzies", "dizzy")
    assert not english("swallow", "swell") and not english("ok", "ok")
    assert english("bruised", "bruise") and not english("bruisxyz", "bruise")
    assert turkish("dudagim", frozenset(), "dudak") and turkish("gozlerimde", frozenset(), "goz")
    assert not turkish("gozluk", frozenset(), "goz") and not turkish("dilek", frozenset(), "dil")
    assert not turkish("sesxyz", frozenset(), "sez")
    assert distance1("vison", "vision") and distance1("breaht", "breath")
    assert distance1("blury", "blurr") and not distance1("fever", "favour")
    assert not distance1("abcdef", "abcxyz") and distance1("same", "same")


def test_patterns_are_checked():
    p = parse_pattern("lip|my lips + swell* @5", "en")
    assert p.window == 5 and len(p.groups) == 2 and p.groups[0][1].words == ("my", "lips")
    assert p.groups[1][0].stars == (True,)
    with pytest.raises(KnowledgeError, match="bad word"):
        parse_pattern("lip| + swell", "en")
    with pytest.raises(KnowledgeError, match="bad word"):
        parse_pattern("li*p", "en")


def test_notes_raise_the_level_as_the_symptom_would_and_say_which_words(k):
    base = {"protocol": "face-mesolift", "hours_since_session": 30, "severity": "mild"}
    out = triage(k, TriageInput(**base, fever=False, symptoms=["other"], notes="voice hoarse"))
    ticked = triage(k, TriageInput(**base, fever=False, symptoms=["breathing_difficulty"]))
    assert out["level"] == ticked["level"] == "emergency" and "airway" in out["rules"]
    assert any("“hoarse”" in r for r in out["reasons"])
    assert out["signs"] == [
        {"sign": "airway", "part": "voice", "level": "emergency", "words": "hoarse"}
    ]
    tr = triage(k, TriageInput(**base, fever=False, symptoms=[], notes="ateşim var"), "tr")
    assert (
        tr["level"] == "urgent"
        and "fever" in tr["rules"]
        and any("“ateşim”" in r for r in tr["reasons"])
    )
    calm = triage(k, TriageInput(**base, fever=False, symptoms=["redness"], notes="no fever"))
    assert calm["level"] == "expected" and calm["signs"] == []


def test_flags_take_their_sign_level_and_action(k):
    fl = flags(k, "face-mesolift")
    assert [f.level for f in fl] == sorted(
        (f.level for f in fl), key=["urgent", "emergency"].index, reverse=True
    )
    vision = next(f for f in fl if f.sign == "eyes")
    assert vision.level == "emergency" and vision.sources
    assert action(k, vision.level, "tr") == k.triage.advice["emergency"]["tr"]
    own = next(f for f in flags(k, "microneedling") if f.sign is None)
    assert own.level and own.text["en"]


def edit_signs(files, fn):
    fn(files["warning_signs.yaml"])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda w: w["signs"].append(w["signs"][0]), "duplicate id"),
        (lambda w: w["signs"][0].update(level="contact_clinic"), "at least urgent"),
        (lambda w: w["signs"][0]["name"].pop("tr"), "needs exactly en and tr"),
        (lambda w: w["signs"][0].update(parts=[]), "no parts"),
        (lambda w: w["signs"][0]["parts"].append(w["signs"][0]["parts"][0]), "duplicate id"),
        (lambda w: w["signs"][0]["parts"][0].update(tr=[]), "English and Turkish"),
        (lambda w: w["signs"][2]["parts"][0].update(level="emergency"), "up to the sign's"),
        (lambda w: w["signs"][0].update(symptom="hives"), "triage gives 'urgent'"),
        (lambda w: w["signs"][0]["parts"][0].update(en=["a||b"]), "bad word"),
    ],
)
def test_broken_warning_signs_fail_loudly(edited_knowledge, edit, message):
    with pytest.raises(KnowledgeError, match=message):
        edited_knowledge(lambda files: edit_signs(files, edit))


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ({"id": "x", "sign": "nope"}, "unknown warning sign"),
        ({"id": "x", "sign": "eyes", "level": "urgent"}, "takes its level"),
        ({"id": "x", "level": "urgent", "sources": ["ctcae-v5"]}, "own text, level and sources"),
    ],
)
def test_broken_red_flags_fail_loudly(edited_knowledge, flag, message):
    def edit(files):
        files["protocols/hands.yaml"]["red_flags"].append(flag)

    with pytest.raises(KnowledgeError, match=message):
        edited_knowledge(edit)


def test_the_knowledge_words_are_never_typos(k):
    # "injection" is a word of the knowledge texts: never read as a typo of "infection"
    assert "injection" in k.signs.detector.not_typos
    assert load() is k
