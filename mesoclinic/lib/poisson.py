"""Exact Poisson test of an observed count against an expected one, for a small
pharmacovigilance signal: is this lot's side-effect count more than the clinic's own rate
would give by chance?

- The exact one-sided Poisson test of an observed vs an expected count is the standard
  test of a standardised incidence ratio: Breslow NE, Day NE. Statistical Methods in
  Cancer Research, vol. II, IARC Scientific Publication 82 (1987), ch. 2.
- At least 3 cases before a signal, as in the disproportionality criteria of Evans SJW,
  Waller PC, Davis S. Pharmacoepidemiol Drug Saf 2001;10:483-6.
"""

import math

ALPHA = 0.01  # one-sided
MIN_CASES = 3


def upper_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected)."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected)
    below = term
    for i in range(1, observed):
        term *= expected / i
        below += term
    return max(0.0, 1.0 - below)


def stands_out(
    events: int, sessions: int, other_events: int, other_sessions: int
) -> tuple[bool, float, float]:
    """(flagged, p, expected): a lot's events in its sessions against the rate of the rest
    of the clinic (the lot itself left out, so a bad lot does not hide in its own rate)."""
    if sessions <= 0 or other_sessions <= 0:
        return False, 1.0, 0.0
    expected = sessions * other_events / other_sessions
    p = upper_tail(events, expected)
    return events >= MIN_CASES and p < ALPHA, p, expected
