"""Screenings, patch tests and consents for the demo patients."""


def add_clinical(stages, users, clinic, today, out) -> None:
    return None
