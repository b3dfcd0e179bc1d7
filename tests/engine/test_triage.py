import pytest

from mesoclinic.engine.inputs import InputError
from mesoclinic.engine.knowledge import PROTOCOL_IDS
from mesoclinic.engine.triage import triage_request


def report(**kw):
    body = {
        "protocol": "face-mesolift",
        "hours_since_session": 30,
        "severity": "mild",
        "fever": False,
        "symptoms": [],
    }
    return {**body, **kw}


def test_usual_redness_and_swelling_on_day_two_are_expected(k):
    out = triage_request(k, report(symptoms=["redness", "swelling"]))
    assert out["level"] == "expected"
    assert out["notify_clinic"] is False
    assert out["reasons"] and out["sources"]
    assert set(out) >= {"level", "advice", "notify_clinic", "reasons", "sources"}


@pytest.mark.parametrize(
    ("kw", "level", "rule"),
    [
        ({"symptoms": ["breathing_difficulty"]}, "emergency", "airway"),
        ({"symptoms": ["lip_or_tongue_swelling", "redness"]}, "emergency", "airway"),
        ({"symptoms": ["vision_change"]}, "emergency", "vision"),
        ({"symptoms": ["blanching"]}, "urgent", "vascular"),
        ({"symptoms": ["dusky_discoloration", "severe_pain"]}, "urgent", "vascular"),
        ({"symptoms": ["blistering"]}, "urgent", "blistering"),
        ({"symptoms": ["severe_pain"]}, "urgent", "severe-pain"),
        ({"symptoms": ["pus"]}, "urgent", "infection"),
        ({"symptoms": ["warmth_spreading"]}, "urgent", "infection"),
        ({"fever": True, "symptoms": ["redness"]}, "urgent", "fever"),
        ({"symptoms": ["hives"]}, "urgent", "hives"),
        (
            {"symptoms": ["swelling"], "severity": "severe", "hours_since_session": 60},
            "urgent",
            "severe-late-swelling",
        ),
        (
            {"symptoms": ["nodules"], "hours_since_session": 24 * 21},
            "urgent",  # issue 11: late lumps are a warning sign, at least urgent
            "late-nodules",
        ),
        ({"symptoms": ["nodules"]}, "contact_clinic", "nodules"),
        ({"symptoms": ["hyperpigmentation"]}, "contact_clinic", "pigmentation"),
        ({"symptoms": ["other"]}, "contact_clinic", "other-symptom"),
        ({"symptoms": ["swelling"], "severity": "severe"}, "contact_clinic", "severe"),
        (
            {"symptoms": ["redness"], "hours_since_session": 100},
            "contact_clinic",
            "longer-than-usual",
        ),
        # a warning sign in the notes counts as its symptom ticked (engine/signs.py)
        ({"symptoms": ["redness"], "notes": "I can't breathe properly"}, "emergency", "airway"),
        ({"symptoms": [], "notes": "Nefes almakta zorlanıyorum"}, "emergency", "airway"),
    ],
)
def test_levels(k, kw, level, rule):
    out = triage_request(k, report(**kw))
    assert out["level"] == level
    assert rule in out["rules"]
    assert out["notify_clinic"] is True
    assert out["advice"] == k.triage.advice[level]["en"]


def test_emergency_advice_comes_first_and_says_call_now(k):
    out = triage_request(
        k, report(symptoms=["nodules", "breathing_difficulty"], hours_since_session=200)
    )
    assert out["level"] == "emergency"
    assert "emergency number now" in out["advice"]
    assert "anaphylaxis" in out["reasons"][0]


def test_longer_than_usual_names_the_symptom_and_usual_duration(k):
    out = triage_request(k, report(symptoms=["bruising"], hours_since_session=24 * 15))
    assert out["level"] == "contact_clinic"
    assert out["reasons"] == [
        "Bruising is lasting longer than usual (2 weeks) after this treatment."
    ]


def test_a_symptom_not_usual_for_the_protocol_goes_to_the_clinic(edited_knowledge):
    def drop_sensitivity(files):
        face = files["protocols/face-mesolift.yaml"]
        face["expected_reactions"] = [
            r for r in face["expected_reactions"] if r["symptom"] != "sensitivity"
        ]

    k2 = edited_knowledge(drop_sensitivity)
    out = triage_request(k2, report(symptoms=["sensitivity", "redness"], hours_since_session=10))
    assert out["level"] == "contact_clinic"
    assert out["rules"] == ["unexpected-symptom"]
    assert out["reasons"] == ["Sensitive skin is not a usual reaction after this treatment."]
    # a symptom a matched rule already explains is not "unexpected" as well
    out = triage_request(k2, report(symptoms=["nodules"]))
    assert out["rules"] == ["nodules"]


def test_a_triage_rule_can_be_limited_to_some_protocols(edited_knowledge):
    def only_face(files):
        for rule in files["triage.yaml"]["rules"]:
            if rule["id"] == "pigmentation":
                rule["protocols"] = ["face-mesolift"]

    k2 = edited_knowledge(only_face)
    assert triage_request(k2, report(symptoms=["hyperpigmentation"]))["rules"] == ["pigmentation"]
    other = report(protocol="hair", symptoms=["hyperpigmentation"])
    assert "pigmentation" not in triage_request(k2, other)["rules"]


def test_no_symptoms_and_nothing_else_is_expected(k):
    out = triage_request(k, report())
    assert out["level"] == "expected" and out["reasons"] == []


def test_turkish(k):
    out = triage_request(k, report(symptoms=["breathing_difficulty"]), lang="tr")
    assert "112" in out["advice"] and "Hemen" in out["advice"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"severity": "awful"}, "severity"),
        ({"symptoms": ["headache"]}, "symptoms[0]"),
        ({"hours_since_session": -1}, "hours_since_session"),
        ({"hours_since_session": "soon"}, "hours_since_session"),
        ({"protocol": "botox"}, "protocol"),
        ({"fever": "maybe"}, "fever"),
    ],
)
def test_bad_input_names_the_field(k, kw, field):
    with pytest.raises(InputError) as err:
        triage_request(k, report(**kw))
    assert err.value.field == field


def test_nan_hours_is_refused(k):
    with pytest.raises(InputError):
        triage_request(
            k,
            b'{"protocol":"face-mesolift","hours_since_session":NaN,"severity":"mild","fever":false,"symptoms":[]}',
        )
    with pytest.raises(InputError) as err:
        triage_request(k, report(hours_since_session=float("nan")))
    assert err.value.field == "hours_since_session"


@pytest.mark.parametrize("protocol", PROTOCOL_IDS)
def test_every_protocol_triages_the_emergencies(k, protocol):
    for symptom in ("breathing_difficulty", "lip_or_tongue_swelling", "vision_change"):
        assert (
            triage_request(k, report(protocol=protocol, symptoms=[symptom]))["level"] == "emergency"
        )
    assert triage_request(k, report(protocol=protocol, symptoms=["pus"]))["level"] == "urgent"
