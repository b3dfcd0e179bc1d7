"""Screening throughput in-process, and the wall time of one `mesoclinic screen` call."""

import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile

from bench.common import Result, best_rate, wall
from mesoclinic.engine.inputs import Product
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.screening import screen, screen_request

PRODUCTS = [
    {"name": "HA cocktail", "ingredients": ["hyaluronic acid", "lidocaine"]},
    {"name": "Vitamins", "ingredients": ["vitamin c", "biotin", "dexpanthenol"]},
    {"name": "Silicium", "ingredients": ["monomethylsilanetriol"]},
]


def requests(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    k = load()
    out = []
    for _ in range(n):
        on = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        patient = {}
        for f in k.facts.values():
            if rng.random() < 0.03:
                continue  # unanswered now and then
            if f.type == "bool":
                patient[f.id] = rng.random() < 0.08
            elif f.type == "enum":
                patient[f.id] = rng.choice(f.values)
            elif f.type == "date":
                patient[f.id] = (
                    on - dt.timedelta(days=rng.randrange(18 * 365 - 400, 70 * 365))
                ).isoformat()
            elif f.type == "date_or_null":
                patient[f.id] = (
                    None
                    if rng.random() < 0.8
                    else (on - dt.timedelta(days=rng.randrange(300))).isoformat()
                )
            else:
                patient[f.id] = rng.sample(
                    ["lidocaine", "nickel", "aspirin", "latex"], rng.randrange(3)
                )
        body = {
            "protocol": rng.choice(list(k.protocols)),
            "date": on.isoformat(),
            "patient": patient,
        }
        if rng.random() < 0.5:
            body["products"] = rng.sample(PRODUCTS, rng.randrange(1, 3))
        out.append(body)
    return out


def run() -> list[Result]:
    k = load()
    bodies = requests(5000)
    # pre-parsed facts: the engine alone
    parsed = []
    for b in bodies:
        facts = {
            key: (dt.date.fromisoformat(v) if isinstance(v, str) and key != "diabetes" else v)
            for key, v in b["patient"].items()
        }
        products = [Product(p["name"], p["ingredients"]) for p in b.get("products", [])] or None
        parsed.append((b["protocol"], dt.date.fromisoformat(b["date"]), facts, products))
    engine_rate = best_rate(lambda a: screen(k, *a), parsed)
    texts = [json.dumps(b).encode() for b in bodies]
    full_rate = best_rate(lambda t: screen_request(k, t).as_dict(k), texts)
    # baseline: the least any JSON service does per request (decode + encode)
    json_rate = best_rate(lambda t: json.dumps(json.loads(t)), texts)

    exe = shutil.which("mesoclinic", path=os.path.dirname(sys.executable)) or "mesoclinic"
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as fh:
        fh.write(texts[0])
    try:
        cli = wall([exe, "screen", "--input", fh.name])
    finally:
        os.unlink(fh.name)
    bare = wall([sys.executable, "-c", "import json"])
    return [
        Result(
            "screenings/s, engine (facts already parsed)",
            engine_rate,
            "/s",
            "JSON decode+encode /s",
            json_rate,
            ">= 20,000/s",
            engine_rate >= 20_000,
        ),
        Result(
            "screenings/s, JSON in -> JSON out",
            full_rate,
            "/s",
            "JSON decode+encode /s",
            json_rate,
            ">= 20,000/s",
            full_rate >= 20_000,
        ),
        Result(
            "`mesoclinic screen` wall time",
            cli,
            "s",
            "`python -c 'import json'` s",
            bare,
            "<= 0.5 s",
            cli <= 0.5,
        ),
    ]
