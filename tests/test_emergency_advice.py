"""One source for emergency advice (issue 11): every text that names a warning sign gives
that sign's action, the advice triage.yaml gives for the sign's level in warning_signs.yaml.

Each text is cut after every action it contains; in each piece the warning-sign detector
(the one triage and `ask` use) finds the signs named, and the most urgent of them must be of
the level of the action that closes the piece. A sign named after the last action, or in a
text with no action at all (usual reactions, aftercare instructions), fails.
"""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from mesoclinic.consent.document import compose
from mesoclinic.engine.aftercare import aftercare
from mesoclinic.engine.ask import load_articles
from mesoclinic.engine.ask.articles import render
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.signs import RANK

LANGS = ("en", "tr")
END = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)


# Words of an action typed by hand instead of taken from the knowledge: "is an emergency",
# "contact your clinic", "be seen today".
OWN_ACTION = {
    "en": ("emergency", "contact", "call ", "be seen", "same day"),
    "tr": ("acil", "başvurun", "arayın", "aynı gün", "iletişime"),
}


def problems(k, body: str, lang: str, describe: bool = False, after: bool = True) -> list[str]:
    """What is wrong in `body`; `describe`: a text that may name a sign without saying what
    to do (an article on the evidence), but never with an action of its own. `after`: the
    text is about the time after a session (an article may speak of before one)."""
    actions = {k.triage.advice[level][lang]: level for level in k.triage.advice}
    found = []
    rest = body
    while rest:
        cut = min(
            ((rest.find(a), a) for a in actions if rest.find(a) >= 0),
            default=(len(rest), None),
        )
        piece, said = rest[: cut[0]], cut[1]
        hits = k.signs.detector.detect(piece, after_session=after)
        named = max((RANK[h.level] for h in hits), default=None)
        signs = ", ".join(f"{h.sign} ({h.words!r})" for h in hits)
        if named is not None and said is not None and RANK[actions[said]] != named:
            found.append(f"{piece.strip()!r} names {signs} but gives {actions[said]}")
        elif named is not None and said is None and not describe:
            found.append(f"{piece.strip()!r} names {signs} but gives no action")
        for sentence in re.split(r"(?<=[.!?])\s+", piece):
            own = [w for w in OWN_ACTION[lang] if w in sentence.lower()]
            if own and k.signs.detector.detect(sentence, after_session=after):
                found.append(f"{sentence!r} names a sign with an action typed by hand: {own}")
        rest = rest[cut[0] + len(said) :] if said else ""
    return found


@pytest.fixture(scope="module")
def k():
    return load()


def test_the_check_catches_a_sign_with_the_wrong_action(k):
    urgent = k.triage.advice["urgent"]["en"]
    emergency = k.triage.advice["emergency"]["en"]
    bad = f"White, mottled or dusky skin with severe pain; any change in vision is an emergency. {urgent}"
    assert problems(k, bad, "en")
    assert not problems(k, f"Any change in vision. {emergency} White, mottled skin. {urgent}", "en")
    assert problems(k, "Pus or fever.", "en")  # a sign with no action at all
    assert problems(k, f"İrin ya da ateş. {k.triage.advice['contact_clinic']['tr']}", "tr")
    assert problems(k, "Any change in vision: contact your clinic, be seen today.", "en", True)
    assert not problems(k, "Unapproved injections caused painful lumps.", "en", describe=True)


@pytest.mark.parametrize("lang", LANGS)
def test_every_consent_gives_each_warning_sign_its_action(k, lang):
    for pid in k.protocols:
        body, _digest = compose(k, pid)
        doc = body[lang]
        for section in doc["sections"]:
            if section["id"] not in ("procedure", "expected", "warning_signs", "aftercare"):
                continue  # risks, alternatives and evidence describe, they do not instruct
            for item in section["items"]:
                assert not problems(k, item["text"], lang), (pid, section["id"], item["text"])
        flags = next(s for s in doc["sections"] if s["id"] == "warning_signs")["items"]
        assert flags, pid


@pytest.mark.parametrize("lang", LANGS)
def test_every_aftercare_text_gives_each_warning_sign_its_action(k, lang):
    for pid in k.protocols:
        care = aftercare(k, pid, END, lang)
        for item in care["items"]:
            assert not problems(k, f"{item['label']}: {item['text']}", lang), (pid, item)
        for r in care["expected_reactions"]:
            assert not problems(k, f"{r['label']}: {r['text']}", lang), (pid, r)
        for f in care["red_flags"]:
            assert f["action"] == k.triage.advice[f["level"]][lang]
            assert not problems(k, f"{f['text']} {f['action']}", lang), (pid, f)


@pytest.mark.parametrize("lang", LANGS)
def test_every_article_gives_each_warning_sign_its_action(k, lang):
    arts = load_articles(k)
    for key, sec in arts.sections.items():
        body = render(k, arts.extra, sec.body[lang], lang, sec.protocol)[0]
        if sec.item in ("redness", "bruising"):  # usual reactions: no sign may be named
            assert not k.signs.detector.detect(body, after_session=True), key
        # what to do before, during and after; "side-effects/complications" lists risks
        instructs = key.split("/")[0] in ("aftercare", "before", "session") or key in (
            "side-effects/warning-signs",
            "side-effects/late-lumps",
            "side-effects/when-to-call",
        )
        assert not problems(k, body, lang, describe=not instructs, after=False), key


@pytest.mark.parametrize("lang", LANGS)
def test_the_portals_emergency_hint_names_only_emergencies(k, lang):
    with translation.override(lang):
        hint = render_to_string("portal/_red_flag_hint.html", {"emergency_number": "112"})
    hits = k.signs.detector.detect(hint, after_session=True)
    assert hits and {h.level for h in hits} == {"emergency"}
    assert "112" in hint
