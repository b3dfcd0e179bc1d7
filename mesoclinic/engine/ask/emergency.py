"""The first check on every message: does it describe an emergency?

Words and lay phrases (English, Turkish, common typos) are mapped to the triage symptom
vocabulary; the triage engine (knowledge/triage.yaml) then decides the level and gives the
advice, so what to do now is written once, for triage and for answers alike.
"""

from dataclasses import dataclass

from ..inputs import TriageInput
from ..knowledge import Knowledge
from ..triage import triage
from .articles import DEFAULT_PROTOCOL
from .lexicon import Lexicon, group_lexicon, matched_patterns


@dataclass(frozen=True, slots=True)
class Detector:
    patterns: list[dict]
    groups: Lexicon
    fever: Lexicon

    @classmethod
    def build(cls, extra: dict, known: frozenset[str] = frozenset()) -> "Detector":
        groups = group_lexicon(extra["emergency"]).know(known)
        return cls(extra["emergency"], groups, Lexicon(extra["fever"]).know(known))

    def symptoms(self, words: list[str]) -> tuple[list[str], bool]:
        """The triage symptoms a message describes, and whether it reports a fever after
        treatment (a fever before an appointment is a reason to reschedule, not urgent)."""
        found = {p["symptom"] for p in matched_patterns(self.patterns, self.groups.find(words))}
        f = self.fever.find(words)
        fever = "words" in f and "before" not in f and bool({"local", "after"} & f)
        return sorted(found), fever


def urgent(
    k: Knowledge,
    symptoms: list[str],
    fever: bool,
    protocol: str | None,
    hours: float | None,
    lang: str,
) -> dict:
    result = triage(
        k,
        TriageInput(
            protocol=protocol or DEFAULT_PROTOCOL,
            hours_since_session=hours or 0.0,
            severity="severe",
            fever=fever,
            symptoms=symptoms,  # type: ignore[arg-type]
        ),
        lang,
    )
    return result
