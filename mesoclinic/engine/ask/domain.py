"""The domain gate: a question is answered only if it names something the articles are about.

Retrieval alone over-reads unrelated questions: BM25 finds *some* section for any words it
knows, and its light stems (a Turkish word's first five letters, a typo away) make everyday
words look known ("izlenir", a film "is watched", meets "izlenim"; "yapıyor" meets
"yapılır"). So a question must also contain a domain term (_ask.yaml `domain`): a protocol's
name, a lay word of a topical concept (make-up, sauna, bruise, price... not the `generic`
concepts that only say what kind of question it is: "what is", "when", "how many times"),
or a word of the domain list (mesotherapy, session, injection, skin...). An everyday
activity (sport, sun, wine: the `activities` concepts) counts only in a question about doing
it, whether or when ("can I swim tonight", "yüzebilir miyim"), not in "how do I learn to swim".

Domain terms (and the off-topic cues) are matched strictly, never on a bare short prefix:
  * the whole word, or the word with endings that grammar allows: English -s, -es, -ed,
    -ing... (a doubled consonant, a dropped e); Turkish endings in their order (noun:
    derivation, plural, possessive, case, -ki, copula: seans-lar-imiz-dan; verb: voice,
    negation, ability, tense, person: yika-yabil-ir-im), a vowel-first ending only after a
    consonant and a buffered one (-ya, -si, -nin, -m) only after a vowel, a final k softened
    before a vowel (uçuk -> uçuğ-um, -lık -> -lığ-ım). Only the `verbs` (Turkish verb roots)
    and words ending in * take verb endings ("emzir" in "emziriyorum"; "acil", urgent, not
    in "açılıyor"); a word under four letters takes only plural, possessive, case and
    copula endings ("iz" is in "izleri", not in "izlenir"; "el" is not in "elma"). A word
    the articles use only in the other language takes no endings ("ice" is not in "içeyim");
  * a word of six letters or more also as the start of a longer word (curated stems:
    "exercis", "pregnan", "nemlendir");
  * a word of seven letters or more with one typo after its first two letters, when the
    question's word is not a word the articles use ("mesotheraphy").
"""

import re
from dataclasses import dataclass
from functools import lru_cache, partial

from .lexicon import Lexicon
from .text import word_matches


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SAFE_STEM = 6  # a curated word this long may start a longer word
MAX_ENDINGS = 5
VOWELS = frozenset("aeiou")

# Turkish endings in the accent-free form (ı -> i, ü -> u, ö -> o, ş -> s, ç -> c, ğ -> g),
# so one form stands for its vowel-harmony variants, in the order they follow one another:
# a noun takes derivation, plural, possessive, case, -ki, then a copula or person ending
# (seans-lar-imiz-dan, hamile-yim); a verb takes voice, negation, ability, tense, person
# (yika-yabil-ir-im) or a nominaliser, after which it goes on as a noun (kizar-ik-lik-lar-im).
DER, PLURAL, POSS, CASE, KI, COPULA = 1, 2, 3, 4, 5, 6
NOMINALISER, VOICE, NEGATION, ABILITY, TENSE, PERSON = 10, 11, 12, 13, 14, 15
_SLOTS = {
    DER: "li lu siz suz lik luk ci cu",
    PLURAL: "lar ler",
    POSS: "m n im um in un i u si su miz muz imiz umuz niz nuz iniz unuz lari leri",
    CASE: """a e ya ye i u yi yu na ne ni nu da de ta te nda nde dan den tan ten ndan nden
          in un nin nun la le yla yle ma me mda mde mdan mden""",
    KI: "ki",
    COPULA: "mi mu dir dur tir tur yim yum im um sin sun iz uz yiz yuz siniz sunuz ken yken",
    NOMINALISER: """ma me mak mek dik duk tik tuk ik uk ici ucu yici yucu inti unti arak erek
                 yarak yerek ip up an en yan yen ince unca ken yken""",
    VOICE: "il ul in un dir tir",
    NEGATION: "ma me",
    ABILITY: "abil ebil yabil yebil ama eme yama yeme",
    TENSE: """iyor uyor yor ir ur ar er r di du ti tu mis mus acak ecek yacak yecek mali meli
           sa se in iniz yin yiniz""",
    PERSON: "im um sin sun iz uz siniz sunuz lar ler m n k yim yum yiz yuz",
}
TR_ENDINGS: dict[str, tuple[int, ...]] = {}
for _slot, _endings in _SLOTS.items():
    for _e in _endings.split():
        TR_ENDINGS[_e] = (*TR_ENDINGS.get(_e, ()), _slot)
# A final k softens to ğ before a vowel (-lik -> -liğ-im: kizar-ik-lig-im).
SOFTENED = frozenset(e[:-1] + "g" for e in TR_ENDINGS if len(e) > 1 and e.endswith("k"))
TR_ENDINGS.update(
    {e[:-1] + "g": TR_ENDINGS[e] for e in TR_ENDINGS.copy() if e[:-1] + "g" in SOFTENED}
)
INFLECTION = frozenset({PLURAL, POSS, CASE, KI, COPULA})  # what a word under four letters takes
NOUN = INFLECTION | {DER}  # what a noun takes; a verb root takes every ending
# Endings that follow a vowel only: the buffered ones (-ya, -si, -nin, -m: "randevu-m") and
# -ma/-me as "my" + "to" ("randevu-ma"); a vowel-first ending follows a consonant only.
AFTER_VOWEL = _words(
    """m n miz muz niz nuz si su ya ye yi yu na ne ni nu nda nde ndan nden nin nun yla yle
    mda mde mdan mden r yabil yebil yama yeme yacak yecek yici yucu yarak yerek yan yen
    yin yiniz yim yum yiz yuz yken"""
)
_SOFTEN = {"k": "g", "p": "b", "t": "d"}
EN_ENDINGS = _words("s es ed d ing er ers y ly ful")
_EN_DOUBLED = ("ing", "ed", "er", "ers", "y")


def _next(state: int, slot: int, ending: str, after: str) -> int | None:
    """The state after `ending` read as `slot`, or None if it cannot come here."""
    vowel = after in VOWELS
    if (ending[0] in VOWELS and vowel) or (ending in AFTER_VOWEL and not vowel):
        return None  # a vowel meets a vowel, or a buffer letter follows a consonant
    if slot == CASE and ending in ("ma", "me") and not vowel:
        return None
    if slot == NOMINALISER:
        return DER if state == 0 or VOICE <= state <= ABILITY else None
    if slot >= VOICE:
        return slot if state == 0 or VOICE <= state < slot else None
    if state >= VOICE:  # a verb form may end in a copula ("yapabilir-mi")
        return COPULA if slot == COPULA else None
    if slot > state or (slot == DER and state <= DER):
        return DER if slot == KI else slot  # -ki makes a noun again: yuzumdeki-ler
    return None


@lru_cache(maxsize=65536)
def tr_endings(
    rest: str, after: str, slots: frozenset[int] | None, state: int = 0, left: int = MAX_ENDINGS
) -> bool:
    """`rest` reads as Turkish endings, in order, after the letter `after`, each of a kind in
    `slots` (None: any, a verb root). A one-consonant ending (-m, -n, -k, -r) ends the word."""
    if not rest:
        return True
    if left == 0:
        return False
    for n in range(1, min(len(rest), 6) + 1):
        ending, tail = rest[:n], rest[n:]
        if (n == 1 and tail and ending not in VOWELS) or (
            ending in SOFTENED and tail[:1] not in VOWELS
        ):
            continue
        for slot in TR_ENDINGS.get(ending, ()):
            if slots is not None and slot not in slots:
                continue
            nxt = _next(state, slot, ending, after)
            if nxt is not None and tr_endings(tail, ending[-1], slots, nxt, left - 1):
                return True
    return False


def turkish(token: str, word: str, verb: bool) -> bool:
    """`token` is `word` with Turkish endings: any for a verb root, derivation and inflection
    for a noun, inflection only for a word under four letters."""
    slots = None if verb else NOUN if len(word) >= 4 else INFLECTION
    bases = [word]
    if word[-1] in _SOFTEN and len(word) >= 3:
        bases.append(word[:-1] + _SOFTEN[word[-1]])  # uçuk -> uçuğ-um
    for base in bases:
        rest = token[len(base) :]
        if (
            token.startswith(base)
            and (base == word or rest[:1] in VOWELS)
            and tr_endings(rest, base[-1], slots)
        ):
            return True
    return False


def english(token: str, word: str, stem: bool) -> bool:
    """`token` is `word` with an English ending: -s, -es, -ed, -ing, -er, -y, -ly..."""
    if token.startswith(word):
        rest = token[len(word) :]
        if len(word) < 4 and not stem:
            return rest in ("s", "es")
        return rest in EN_ENDINGS or (
            rest[:1] == word[-1] and rest[1:] in _EN_DOUBLED  # swim -> swimming
        )
    if word.endswith("e") and len(word) >= 4 and token.startswith(word[:-1]):
        return token[len(word) - 1 :] in ("ing", "ed", "er", "y")  # bruise -> bruising
    if word.endswith("y") and len(word) >= 4 and token.startswith(word[:-1]):
        return token[len(word) - 1 :] in ("ies", "ied", "ier", "ily")
    return False


def strict_matches(
    token: str,
    word: str,
    fuzzy: bool = True,
    lang: str | None = None,
    foreign: frozenset[str] = frozenset(),
    verbs: frozenset[str] = frozenset(),
) -> bool:
    """A domain word matches a token (see the module's docstring). `lang` picks the endings:
    "en", "tr", or None for either (a caller that has not detected the language); a word in
    `foreign` (the articles use it only in the other language) takes none ("ice" is not in
    Turkish "içeyim"); a Turkish verb root in `verbs` takes verb endings, like a stem with *
    ("emzir": "emziriyorum"; "acil", urgent, is no verb: not "açılıyor")."""
    stem = word.endswith("*") or word in verbs
    word = word.rstrip("*")
    if token == word:
        return True
    if len(word) >= SAFE_STEM and token.startswith(word):
        return True
    endings = word not in foreign
    if endings and lang != "tr" and english(token, word, stem):
        return True
    if endings and lang != "en" and turkish(token, word, stem):
        return True
    return (
        not stem and len(word) >= 7 and token[:2] == word[:2] and word_matches(token, word, fuzzy)
    )


MAY = re.compile(r"[a-z]{2,}[ae]bil")  # Turkish "may": iç-ebil-ir miyim, yıka-yabil-ir miyim


def strict_lexicon(
    entries: dict[str, list[str]],
    vocab: dict[str, frozenset[str]],
    lang: str | None,
    verbs: frozenset[str] = frozenset(),
) -> Lexicon:
    """A lexicon matched strictly in `lang`; `vocab`: the articles' words per language."""
    known = frozenset().union(*vocab.values())
    other = [v for lg, v in vocab.items() if lg != lang]
    foreign = frozenset().union(*other) - vocab[lang] if lang else frozenset()
    match = partial(strict_matches, lang=lang, foreign=foreign, verbs=verbs)
    return Lexicon(entries, match).know(known)


@dataclass(frozen=True, slots=True)
class Gate:
    """The domain terms of a question, in one language (None: either)."""

    terms: Lexicon
    asking: Lexicon
    activities: frozenset[str]  # labels that need a question about doing them

    @classmethod
    def build(cls, extra: dict, vocab: dict[str, frozenset[str]], lang: str | None) -> "Gate":
        gate = extra["domain"]
        verbs = frozenset(gate["verbs"])
        generic = set(gate["generic"])
        entries: dict[str, list[str]] = {"domain": [w for ws in gate["words"].values() for w in ws]}
        for label, phrases in extra["concepts"].items():
            if label not in generic:
                entries[f"concept:{label}"] = phrases
        for label, phrases in extra["protocols"].items():
            entries[f"protocol:{label}"] = phrases
        for label, phrases in entries.items():
            entries[label] = [p for p in phrases if not str(p).isdigit()]  # "16" is no topic
        asking = {"asking": [w for ws in gate["asking"].values() for w in ws]}
        return cls(
            strict_lexicon(entries, vocab, lang, verbs),
            strict_lexicon(asking, vocab, lang, verbs),
            frozenset(f"concept:{a}" for a in gate["activities"]),
        )

    def asks(self, words: list[str], lang: str | None) -> bool:
        """Whether or when the asker may do something: "can I", "tonight", "-abilir miyim"."""
        if lang != "en" and any(MAY.match(w) for w in words):
            return True
        return bool(self.asking.find(words))

    def find(self, words: list[str], lang: str | None) -> set[str]:
        """Where the question's domain terms come from ("concept:sun", "protocol:hair",
        "domain"). An everyday activity (sport, sun, wine...) is one only in a question
        about doing it: "can I swim tonight", not "how do I learn to swim"."""
        found = self.terms.find(words)
        if found and found <= self.activities and not self.asks(words, lang):
            return set()
        return found
