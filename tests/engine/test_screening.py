import datetime as dt

import pytest

from mesoclinic.engine.inputs import InputError, Product
from mesoclinic.engine.screening import DECISIONS, ingredient_classes, screen, screen_request
from tests.conftest import DAY, HEALTHY, request_for

HA = {"name": "HA cocktail", "ingredients": ["hyaluronic acid", "lidocaine"]}


def rules(result):
    return [f.rule for f in result.findings]


def test_the_contract_example_is_eligible(k):
    result = screen_request(k, request_for(products=[HA]))
    assert result.decision == "eligible"
    assert result.findings == ()
    assert result.defer_until is None
    out = result.as_dict(k)
    assert set(out) >= {"decision", "defer_until", "findings", "protocol", "knowledge_version"}
    assert out["knowledge_version"] == k.version


@pytest.mark.parametrize(
    ("patient", "rule", "decision"),
    [
        ({"pregnant": True}, "pregnancy", "contraindicated"),
        ({"breastfeeding": True}, "breastfeeding", "contraindicated"),
        ({"diabetes": "on_treatment"}, "diabetes-on-treatment", "contraindicated"),
        ({"diabetes": "diet_controlled"}, "diabetes-diet-controlled", "review"),
        ({"cancer_treatment": True}, "cancer-treatment", "contraindicated"),
        ({"anticoagulants": True}, "anticoagulants", "contraindicated"),
        ({"bleeding_disorder": True}, "bleeding-disorder", "review"),
        ({"kidney_disease": True}, "kidney-disease", "review"),
        ({"autoimmune_disease": True}, "autoimmune", "review"),
        ({"keloid_tendency": True}, "keloid", "review"),
        ({"active_skin_infection": True}, "active-skin-infection", "defer"),
        ({"active_herpes": True}, "active-herpes", "defer"),
        ({"acute_illness": True}, "acute-illness", "defer"),
        ({"birth_date": "2010-01-01"}, "under-18", "contraindicated"),
    ],
)
def test_each_risk_factor_gives_its_finding(k, patient, rule, decision):
    result = screen_request(k, request_for(**patient))
    assert rules(result) == [rule]
    assert result.decision == decision
    finding = result.findings[0]
    assert finding.reason and finding.sources


def test_anticoagulant_reason_never_advises_stopping_on_ones_own(k):
    finding = screen_request(k, request_for(anticoagulants=True)).findings[0]
    assert "ask your prescribing doctor" in finding.reason
    tr = screen_request(k, request_for(anticoagulants=True), lang="tr").findings[0]
    assert "doktorunuza danışın" in tr.reason


def test_age_is_counted_in_full_years_on_the_screening_date(k):
    # 18th birthday on the screening date: an adult; one day later birth: 17
    assert screen_request(k, request_for(birth_date="2008-12-01")).decision == "eligible"
    result = screen_request(k, request_for(birth_date="2008-12-02"))
    assert rules(result) == ["under-18"]
    assert "17 years old" in result.findings[0].reason


def test_recent_nsaid_defers_until_fourteen_days_after(k):
    result = screen_request(k, request_for(last_aspirin_or_nsaid="2026-11-25"))
    assert result.decision == "defer"
    assert result.defer_until == dt.date(2026, 12, 9)
    assert "Paracetamol is fine" in result.findings[0].reason
    # on the day it lapses the patient is eligible again
    lapsed = screen_request(k, request_for(date="2026-12-09", last_aspirin_or_nsaid="2026-11-25"))
    assert lapsed.decision == "eligible"


def test_defer_until_is_the_latest_of_the_fixed_deferrals(k):
    result = screen_request(
        k, request_for(last_aspirin_or_nsaid="2026-11-25", isotretinoin_last_dose="2026-10-01")
    )
    assert result.decision == "defer"
    assert result.defer_until == dt.date(2026, 10, 1) + dt.timedelta(days=182)


def test_an_open_ended_deferral_has_no_end_date(k):
    result = screen_request(k, request_for(last_aspirin_or_nsaid="2026-11-25", acute_illness=True))
    assert result.decision == "defer"
    assert result.defer_until is None


def test_a_stricter_finding_wins_but_the_deferral_is_still_reported(k):
    result = screen_request(k, request_for(pregnant=True, last_aspirin_or_nsaid="2026-11-25"))
    assert result.decision == "contraindicated"
    assert result.findings[0].decision == "contraindicated"  # most restrictive first
    assert result.defer_until == dt.date(2026, 12, 9)


def test_an_unanswered_question_is_never_a_no(k):
    body = request_for()
    del body["patient"]["pregnant"]
    result = screen_request(k, body)
    assert result.decision == "review"
    assert rules(result) == ["unanswered-pregnant"]
    assert "pregnant" in result.findings[0].reason
    assert result.findings[0].facts == ("pregnant",)


def test_a_null_birth_date_counts_as_unanswered(k):
    result = screen_request(k, request_for(birth_date=None))
    assert rules(result) == ["unanswered-birth_date"]


def test_an_empty_patient_is_reviewed_question_by_question(k):
    result = screen_request(k, {"protocol": "face-mesolift", "date": "2026-12-01", "patient": {}})
    assert result.decision == "review"
    named = {f.facts[0] for f in result.findings}
    assert {"birth_date", "pregnant", "allergies", "diabetes"} <= named
    # a question no rule of this protocol reads is not asked
    assert "implanted_electronic_device" not in named


def test_allergy_matches_synonyms_and_classes_case_and_accent_insensitively(k):
    for allergy in ["Lignocaine", "LIDOCAINE", "xylocaine", "local anaesthetics", "Lidokain"]:
        result = screen_request(k, request_for(products=[HA], allergies=[allergy]))
        assert rules(result) == ["allergy-ingredient"], allergy
        assert result.decision == "contraindicated"
    aspirin = {"name": "Rescue mix", "ingredients": ["Acetylsalicylic Acid 5%"]}
    result = screen_request(k, request_for(products=[aspirin], allergies=["aspirin"]))
    assert rules(result) == ["allergy-ingredient"]
    assert "Acetylsalicylic Acid 5%" in result.findings[0].reason


def test_allergy_matches_unknown_substances_by_name_and_ignores_unrelated_ones(k):
    odd = {"name": "Herbal mix", "ingredients": ["Centella asiatica extract"]}
    hit = screen_request(k, request_for(products=[odd], allergies=["centella asiatica"]))
    assert rules(hit) == ["allergy-ingredient"]
    miss = screen_request(k, request_for(products=[HA], allergies=["penicillin", "  "]))
    assert miss.decision == "eligible"
    gel = screen_request(k, request_for(products=[HA], allergies=["lidocaine gel"]))
    assert rules(gel) == ["allergy-ingredient"]


def test_allergy_without_products_needs_only_an_answer(k):
    assert screen_request(k, request_for(allergies=["lidocaine"])).decision == "eligible"
    body = request_for(products=[HA])
    del body["patient"]["allergies"]
    assert rules(screen_request(k, body)) == ["unanswered-allergies"]


@pytest.mark.parametrize(
    "patient",
    [
        {"diabetes": "diet_controlled"},
        {"kidney_disease": True},
        {"pregnant": True},
        {"breastfeeding": True},
        {"pathological_edema": True},
    ],
)
def test_organic_silicon_is_excluded_with_its_conditions(k, patient):
    silicon = {"name": "Silicium booster", "ingredients": ["monomethylsilanetriol"]}
    result = screen_request(k, request_for(products=[silicon], **patient))
    assert "organic-silicon-exclusions" in rules(result)
    assert result.decision == "contraindicated"
    assert "organic silicon" in next(
        f.reason for f in result.findings if f.rule == "organic-silicon-exclusions"
    )


def test_organic_silicon_makes_its_questions_required(k):
    silicon = {"name": "Silicium booster", "ingredients": ["organic silicon"]}
    body = request_for(products=[silicon])
    del body["patient"]["pathological_edema"]
    assert rules(screen_request(k, body)) == ["unanswered-pathological_edema"]
    del body["products"]
    assert screen_request(k, body).decision == "eligible"


def test_lipolytics_need_review_and_keep_their_interval(k):
    lipo = {"name": "Lipo mix", "ingredients": ["Sodium deoxycholate", "phosphatidylcholine"]}
    result = screen_request(k, request_for(products=[lipo]))
    assert result.decision == "review"
    assert rules(result) == ["lipolytic-warning", "lipolytic-warning"]
    body = request_for(products=[lipo])
    body["last_sessions"] = {"lipolytic": "2026-11-20"}
    result = screen_request(k, body)
    assert "lipolytic-interval" in rules(result)
    interval = next(f for f in result.findings if f.rule == "lipolytic-interval")
    assert interval.defer_until == dt.date(2026, 12, 18)
    body["last_sessions"] = {"lipolytic": "2026-10-20"}
    assert "lipolytic-interval" not in rules(screen_request(k, body))


def test_oil_or_alcohol_vehicles_are_refused(k):
    oily = {"name": "Oily serum", "ingredients": ["vitamin c"], "vehicle": "Oil"}
    result = screen_request(k, request_for(products=[oily, HA]))
    assert rules(result) == ["refused-vehicle"]
    watery = {"name": "Serum", "ingredients": ["vitamin c"], "vehicle": "aqueous"}
    assert screen_request(k, request_for(products=[watery])).decision == "eligible"


def test_protocol_specific_questions_are_asked_only_where_they_matter(k):
    body = request_for(protocol="needle-free")
    del body["patient"]["implanted_electronic_device"]
    assert "unanswered-implanted_electronic_device" in rules(screen_request(k, body))
    device = screen_request(
        k, request_for(protocol="needle-free", implanted_electronic_device=True)
    )
    assert device.decision == "contraindicated"


def test_screen_takes_parsed_facts_directly(k):
    facts = {"birth_date": dt.date(1990, 1, 1), "pregnant": True}
    result = screen(k, "face-mesolift", DAY, facts, [Product("HA", ["hyaluronic acid"])])
    assert "pregnancy" in rules(result)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (request_for(protocol="botox"), "protocol"),
        (request_for(date="2026-02-30"), "date"),
        (request_for(pregnant="yes"), "patient.pregnant"),
        (request_for(diabetes="type 2"), "patient.diabetes"),
        (request_for(last_aspirin_or_nsaid="last week"), "patient.last_aspirin_or_nsaid"),
        (request_for(pregnnant=True), "patient.pregnnant"),
        (request_for(birth_date="2030-01-01"), "patient.birth_date"),
        (request_for(products=[{"ingredients": ["x"]}]), "products[0].name"),
        ({**request_for(), "last_sessions": {"vitamins": "2026-11-01"}}, "last_sessions.vitamins"),
        ({"date": "2026-12-01", "patient": {}}, "protocol"),
        (b"{not json", "input"),
    ],
)
def test_bad_input_names_the_field(k, body, field):
    with pytest.raises(InputError) as err:
        screen_request(k, body)
    assert err.value.field == field
    assert str(err.value).startswith(field)


def test_ingredient_classes(k):
    assert ingredient_classes(k, ["Sodium deoxycholate", "vitamin c"]) == {"lipolytic"}
    assert ingredient_classes(k, []) == frozenset()


def test_decisions_are_ordered():
    assert DECISIONS == ("eligible", "defer", "review", "contraindicated")


def test_every_contract_fact_has_a_question(k):
    assert set(k.facts) == set(HEALTHY)
