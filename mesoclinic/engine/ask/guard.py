"""Checks before retrieval, and the splitting of a message into its questions.

Retrieval finds *some* section for any question that shares words with the articles, so a
few kinds of question are decided before it (_ask.yaml `guard`, matched strictly like the
domain terms): a dose, or skipping a dose, goes to the prescribing doctor; a medicine the
knowledge base does not cover is refused, never recommended; a question naming an implanted
electronic device is answered from the section that says electroporation is not used with
one; doing it oneself, with a kit or vial bought online, or by a hairdresser or a friend, is
answered from the safety article, never with instructions.

A message with two or three questions ("when can I wash my hair, and which shampoo is
best?") is split so that each one is answered, or named as not covered, on its own.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .domain import strict_lexicon
from .lexicon import Lexicon
from .text import norm

# Words that start, or make, a question: a piece without one is context for the next
# ("I'm on warfarin, should I stop it?" is one question).
_QUESTION_EN = re.compile(
    r"^(how|what|whats|when|where|which|who|why|can|could|should|shall|is|are|am|do|does|did|"
    r"will|would|may|might|must|have|has|any|anything|also)\b"
)
_QUESTION_TR = re.compile(
    r"\b(ne|neden|niye|nasil|nasıl|kac|kaç|hangi|nerede|nereden|kim|mi|mı|mu|mü|misiniz|musunuz|"
    r"miyim|muyum|midir|mıdır|mudur|müdür|var mi|yok mu)\b|[a-zçğıöşü]+(ebilir|abilir|meli|malı)"
    r"[a-zçğıöşü]*\b|(ir|ır|ur|ür|ar|er)(im|ım|um|üm)\b|mısınız|misiniz"
)
_SENTENCES = re.compile(r"(?<=[?!])\s+|(?<=[.;])\s+(?=\S)")
_JOINS = re.compile(
    r",\s*(?:and\s+|also\s+|bir de\s+|ayrıca\s+|ayrica\s+|ve\s+)?|\s+(?:and also|also|bir de|ayrıca)\s+"
    r"|\s+and\s+(?=(?:is|are|can|could|do|does|should|will|would|what|whats|how|which|when|where|"
    r"who|why|may|any)\b)",
    re.IGNORECASE,
)
# A piece that starts with one of these gives the reason or purpose of the question before
# it ("should I take X, so the dots don't get infected?"): it is no question of its own.
_SUBORDINATE = re.compile(r"^(so|because|since|as|cause|cos|cuz|diye|çünkü|cunku|zira)\b")


def is_question(piece: str) -> bool:
    text = norm(piece)
    return piece.rstrip().endswith("?") or bool(
        _QUESTION_EN.match(text) or _QUESTION_TR.search(piece.lower()) or _QUESTION_TR.search(text)
    )


def split(question: str, report: Callable[[str], bool] | None = None) -> list[str]:
    """The questions in a message, at most three; text that asks nothing stays with the
    question after it (or before it, at the end), except a report of a warning sign at the
    end (`report`: the sign detector), which is a part of its own ("when can I wear make-up?
    and my lip keeps swelling"), so the question before it is still answered."""
    pieces: list[tuple[str, str]] = []  # (the words joining it to the one before, the piece)
    for sentence in _SENTENCES.split(question.strip()):
        parts = _JOINS.split(sentence)
        joins = [" ", *_JOINS.findall(sentence)]
        for join, piece in zip(joins, parts, strict=True):
            if piece.strip(" ,.;?!"):
                pieces.append((join if pieces else "", piece.strip()))
    merged: list[str] = []
    pending = ""
    for join, piece in pieces:
        if merged and not pending and _SUBORDINATE.match(norm(piece)):
            merged[-1] = f"{merged[-1]}{join}{piece}"
            continue
        if not is_question(piece):
            pending = f"{pending}{join}{piece}" if pending else piece
            continue
        merged.append(f"{pending}{join}{piece}" if pending else piece)
        pending = ""
    if pending:
        if merged and not (report and report(pending)):
            merged[-1] = f"{merged[-1]} {pending}"
        else:
            merged.append(pending)
    if len(merged) > 3:
        merged = [*merged[:2], " ".join(merged[2:])]
    return merged


PRODUCTS = frozenset({"makeup", "skincare", "hairwash"})  # concepts that name a product
ARTICLES = frozenset({"a", "an", "the", "some", "one", "bir", "biraz"})


@dataclass(frozen=True, slots=True)
class Guard:
    lexicon: Lexicon
    covered: frozenset[str]  # concept labels of the medicines the knowledge covers
    drug_endings: tuple[str, ...]
    forms: Lexicon  # forms of medicine: cream, tablets, krem, damla...
    intake: Lexicon  # taking one: take, alıyorum, kullanıyorum...

    @classmethod
    def build(cls, extra: dict, vocab: dict[str, frozenset[str]], devices: list[str]) -> "Guard":
        g = extra["guard"]
        names = ("dose", "medicine", "who", "act", "stop", "prescribed", "otc", "recommend")
        entries = {name: list(g[name]) for name in names}
        entries["device"] = [*g["device"], *devices]
        return cls(
            strict_lexicon(entries, vocab, None),
            frozenset(g["covered"]),
            tuple(norm(e) for e in g["drug_endings"]),
            strict_lexicon({"form": list(g["forms"])}, vocab, None),
            strict_lexicon({"intake": list(g["intake"])}, vocab, None),
        )

    def drugs(self, words: list[str], foreign: list[str]) -> list[str]:
        """Foreign words (unknown to the knowledge base) that name a medicine or product: an
        international drug-name ending ("amoxicillin", "sertraline"), beside a form of
        medicine ("Betnovate cream", "advantan krem"), or taken ("take melatonin",
        "melatonin alıyorum")."""
        out = []
        for w in foreign:
            i = words.index(w)
            j = i - 1
            while j > 0 and words[j] in ARTICLES:  # "take a Benadryl"
                j -= 1
            beside = words[max(i - 1, 0) : i] + words[i + 1 : i + 2]
            if (
                (len(w) >= 6 and w.endswith(self.drug_endings))
                or self.forms.find(beside)
                or self.intake.find(words[max(j, 0) : j + 1] if j >= 0 else [])
                or self.intake.find(words[i + 1 : i + 2])
            ):
                out.append(w)
        return out

    def check(
        self, words: list[str], concepts: set[str], drugs: list[str] = (), foreign: list[str] = ()
    ) -> str | None:
        """What decides this question before retrieval: "dose", "medicine", "device",
        "selftreat", "product", or None. `drugs`: medicines named that the knowledge does not
        know; `foreign`: the words it does not know (coverage.py)."""
        found = self.lexicon.find(words)
        if "dose" in found:
            return "dose"
        if "device" in found:
            return "device"
        if {"who", "act"} <= found:
            return "selftreat"
        medicines = concepts & self.covered
        uncovered = "medicine" in found or bool(drugs)
        if "stop" in found and (medicines or uncovered):
            over_the_counter = "otc" in found and not uncovered and medicines <= {"painkiller"}
            prescribed = "prescribed" in found or uncovered or medicines - {"painkiller", "numbing"}
            if prescribed and not over_the_counter:
                return "dose"  # stopping a prescribed medicine: the prescribing doctor decides
        if drugs or (uncovered and not medicines):
            return "medicine"  # a medicine named that the knowledge does not know, or one
            # cue ("antibiotics", "tablets") with no medicine it covers
        if "recommend" in found and (concepts & PRODUCTS or foreign or self.forms.find(words)):
            return "product"  # a product or brand to recommend: the knowledge names none
        return None
