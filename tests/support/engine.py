"""Engine requests for the engine and CLI tests: a healthy patient and a request builder."""

import copy
import datetime as dt

from mesoclinic.demo.answers import HEALTHY_ANSWERS

# A patient who answered every question with the low-risk answer.
HEALTHY = {"birth_date": "1990-05-01", **HEALTHY_ANSWERS}
DAY = dt.date(2026, 12, 1)


def request_for(protocol="face-mesolift", date="2026-12-01", products=None, **patient):
    body = {"protocol": protocol, "date": date, "patient": {**copy.deepcopy(HEALTHY), **patient}}
    if products is not None:
        body["products"] = products
    return body
