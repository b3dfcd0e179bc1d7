import datetime as dt

import pytest

from mesoclinic.engine.inputs import InputError, Product
from mesoclinic.engine.knowledge import normalize
from mesoclinic.engine.screening import DECISIONS, ingredient_classes, screen, screen_request
from tests.support.engine import DAY, HEALTHY, request_for

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
    # a local anaesthetic is the exception (numbing cream): see the tests below
    for allergy in ["hyaluronic acid", "aspirin", "penicillin"]:
        assert screen_request(k, request_for(allergies=[allergy])).decision == "eligible"
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


# --- Allergy names: brands, old names, misspellings, classes (issue 11) --------------------

PROCAINE = {"name": "Old mix", "ingredients": ["procaine hydrochloride 1%"]}
PRILOCAINE = {"name": "Numbing cream", "ingredients": ["lidocaine 2.5%", "prilocaine 2.5%"]}
ARTICAINE = {"name": "Dental", "ingredients": ["articaine"]}


@pytest.mark.parametrize(
    ("allergy", "product"),
    [
        ("Xylocaine", HA),  # brand of lidocaine
        ("EMLA", HA),  # a lidocaine/prilocaine cream brand names both substances
        ("emla krem", PRILOCAINE),
        ("Lokaril", PRILOCAINE),  # a Turkish generic of the same cream
        ("lidocaine/prilocaine cream", PRILOCAINE),
        ("Novocain", PROCAINE),  # the old trade name of procaine
        ("Novocaine", PROCAINE),
        ("Septocaine", ARTICAINE),
        ("lidocain", HA),  # misspellings, listed
        ("lignocain", HA),
        ("novacaine", PROCAINE),
        ("lidocian", HA),  # one typo away, not listed
        ("Lidokain", HA),  # Turkish
        ("prilokain", PRILOCAINE),
        ("numbing cream", HA),  # the class in a patient's words
        ("uyuşturma kremi", PROCAINE),
        ("local anaesthetic", ARTICAINE),
        ("lokal anestezik", HA),
    ],
)
def test_allergy_names_match_through_brands_old_names_misspellings_and_classes(k, allergy, product):
    result = screen_request(k, request_for(products=[product], allergies=[allergy]))
    assert result.decision == "contraindicated", allergy
    assert set(rules(result)) == {"allergy-ingredient"}
    assert allergy in result.findings[0].reason


def test_a_brand_in_the_ingredients_names_its_substances(k):
    cream = {"name": "Pre-session cream", "ingredients": ["EMLA cream"]}
    result = screen_request(k, request_for(products=[cream], allergies=["prilocaine"]))
    assert rules(result) == ["allergy-ingredient"]
    assert ingredient_classes(k, ["EMLA"]) == {"amide-local-anaesthetic"}


def test_different_local_anaesthetics_do_not_match_each_other(k):
    # an allergy to one substance is not an allergy to its whole group
    for allergy in ["procaine", "Novocain", "benzocaine"]:
        assert screen_request(k, request_for(products=[HA], allergies=[allergy])).decision == (
            "eligible"
        )
    assert screen_request(k, request_for(products=[PROCAINE], allergies=["EMLA"])).decision == (
        "eligible"
    )


def test_no_two_substances_are_one_typo_apart(k):
    from mesoclinic.engine.names import _one_edit, _vocabulary, fuzzy_ok

    assert fuzzy_ok("lidoca") and not fuzzy_ok("lidoc") and not fuzzy_ok("vitamin b1")
    for table in _vocabulary(k):  # substance and brand names; class names; device names
        long = [(n, ids) for n, ids in table if fuzzy_ok(n)]
        for i, (a, ids_a) in enumerate(long):
            for b, ids_b in long[i + 1 :]:
                if _one_edit(a, b):
                    assert ids_a == ids_b, (a, b)


def test_one_edit():
    from mesoclinic.engine.names import _one_edit

    assert _one_edit("lidocaine", "lidocaine")
    assert _one_edit("lidocaine", "lidocane")  # deletion
    assert _one_edit("lidocan", "lidocain")  # insertion
    assert _one_edit("novacaine", "novocaine")  # substitution
    assert _one_edit("lidocian", "lidocain")  # two neighbours swapped
    assert not _one_edit("lidocaine", "prilocaine")
    assert not _one_edit("ab", "abcd")
    assert not _one_edit("lidocanie", "lidocain")


@pytest.mark.parametrize(
    "allergy",
    [
        "lidocaine",
        "EMLA",
        "Novocain",
        "lidocain",
        "numbing cream",
        "Local anaesthetics",
        "uyuşturma kremi",
        "articaine",
        "bupivacaine",
        "mepivacaine",
        "Xylocaine gel",
    ],
)
def test_a_local_anaesthetic_allergy_without_products_asks_for_review(k, allergy):
    for protocol in k.protocols:
        result = screen_request(k, request_for(protocol=protocol, allergies=[allergy]))
        assert result.decision == "review", (protocol, allergy)
        assert rules(result) == ["allergy-local-anaesthetic-unlisted"]
        finding = result.findings[0]
        assert allergy in finding.reason and "numbing cream" in finding.reason
        assert "art-facial-spot" in finding.sources and finding.facts == ("allergies",)
    tr = screen_request(k, request_for(allergies=[allergy]), lang="tr").findings[0]
    assert "uyuşturma kremi" in tr.reason and "uyuşturucu" not in tr.reason


def test_an_empty_product_list_counts_as_no_product_list(k):
    body = request_for(allergies=["EMLA"])
    body["products"] = []
    assert rules(screen_request(k, body)) == ["allergy-local-anaesthetic-unlisted"]
    body["products"] = [{"name": "Vitamins", "ingredients": ["biotin"]}]
    assert screen_request(k, body).decision == "eligible"  # the listed products are checked


def test_an_allergy_the_knowledge_does_not_know_keeps_todays_behaviour(k):
    # see the note of rule allergy-local-anaesthetic-unlisted
    assert screen_request(k, request_for(allergies=["penicillin", "cats"])).decision == ("eligible")
    odd = {"name": "Herbal", "ingredients": ["penicillin-free herbal extract"]}
    assert rules(screen_request(k, request_for(products=[odd], allergies=["herbal"]))) == [
        "allergy-ingredient"
    ]


def test_allergy_names_helper(k):
    from mesoclinic.engine.screening import allergy_names

    assert allergy_names(k, "EMLA") == (
        frozenset({"lidocaine", "prilocaine"}),
        frozenset({"amide-local-anaesthetic"}),
    )
    assert allergy_names(k, "numbing cream")[1] == {
        "amide-local-anaesthetic",
        "ester-local-anaesthetic",
    }
    assert allergy_names(k, "penicillin") == (frozenset(), frozenset())
    assert allergy_names(k, " ; ") == (frozenset(), frozenset())


# --- Implanted devices by their common names ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "device"),
    [
        ("ICD", "icd"),
        ("my AICD", "icd"),
        ("defibrillator", "icd"),
        ("defibrilatör", "icd"),
        ("Pacemaker", "pacemaker"),
        ("pacemeker", "pacemaker"),  # one typo
        ("kalp pili", "pacemaker"),
        ("spinal cord stimulator", "neurostimulator"),
        ("nörostimülatör", "neurostimulator"),
        ("Cochlear implant (left ear)", "cochlear-implant"),
        ("koklear implant", "cochlear-implant"),
        ("insulin pump", "insulin-pump"),
        ("insülin pompası", "insulin-pump"),
        ("hip replacement", None),
        ("", None),
    ],
)
def test_device_names_in_english_and_turkish(k, name, device):
    from mesoclinic.engine.screening import device_of

    assert device_of(k, name) == device


def test_the_device_vocabulary_is_on_the_knowledge(k):
    for required in ("pacemaker", "icd", "neurostimulator", "cochlear-implant", "insulin-pump"):
        dev = k.devices[required]
        assert dev.names["en"] and dev.names["tr"] and dev.sources
        assert all(k.device_names[normalize(n)] == required for n in dev.names["en"])
    assert k.device_names["icd"] == "icd"


@pytest.mark.parametrize("boolean", [True, False, None])
def test_a_recognised_device_answers_the_device_question_yes(k, boolean):
    body = request_for(protocol="needle-free", implanted_devices=["ICD"])
    if boolean is None:
        del body["patient"]["implanted_electronic_device"]  # not answered: the list answers it
    else:
        body["patient"]["implanted_electronic_device"] = boolean
    result = screen_request(k, body)
    assert result.decision == "contraindicated"
    assert rules(result) == ["implanted-device"]
    assert "ICD" in result.findings[0].reason
    assert result.findings[0].facts == ("implanted_electronic_device", "implanted_devices")
    tr = screen_request(k, body, lang="tr").findings[0]
    assert "Tıbbi öyküde belirtilen: ICD" in tr.reason


def test_an_unrecognised_device_asks_for_review_where_current_is_used(k):
    body = request_for(protocol="needle-free", implanted_devices=["hip replacement", "ICD"])
    body["patient"]["implanted_electronic_device"] = True
    result = screen_request(k, body)
    assert rules(result) == ["implanted-device", "implanted-device-unrecognised"]
    body = request_for(protocol="needle-free", implanted_devices=["Medtronic thing", " "])
    result = screen_request(k, body)
    assert result.decision == "review"
    assert rules(result) == ["implanted-device-unrecognised"]
    assert "Medtronic thing" in result.findings[0].reason
    # no electrical current in the injection protocols: the device list changes nothing there
    face = request_for(implanted_devices=["Medtronic thing", "pacemaker"])
    assert screen_request(k, face).decision == "eligible"
    assert screen_request(
        k, request_for(protocol="needle-free", implanted_devices=[])
    ).decision == ("eligible")


# --- Timing facts: a recent filler or injectable, a planned sun holiday -------------------


def test_a_recent_filler_defers_for_two_weeks(k):
    result = screen_request(k, request_for(last_filler_or_other_injectable="2026-11-25"))
    assert result.decision == "defer"
    assert result.defer_until == dt.date(2026, 12, 9)
    finding = result.findings[0]
    assert finding.rule == "recent-filler-or-injectable"
    assert "2026-11-25" in finding.reason and "2026-12-09" in finding.reason
    assert finding.sources == ("define-skin-boosters", "ls-enhance")
    lapsed = request_for(date="2026-12-09", last_filler_or_other_injectable="2026-11-25")
    assert screen_request(k, lapsed).decision == "eligible"


@pytest.mark.parametrize(
    ("protocol", "sun", "deferred"),
    [
        ("face-mesolift", "2026-12-01", True),  # the session day
        ("face-mesolift", "2026-12-15", True),  # the last day of the 2 weeks after
        ("face-mesolift", "2026-12-16", False),
        ("face-mesolift", "2026-11-27", True),  # 4 days before (the pre-sun instruction)
        ("face-mesolift", "2026-11-26", False),
        ("acne-scar", "2026-11-24", True),  # 7 days before in this protocol
        ("hair", "2026-11-30", False),  # hair has no pre-sun instruction
        ("hair", "2026-12-10", True),
    ],
)
def test_a_planned_sun_holiday_inside_the_protocols_sun_window_defers(k, protocol, sun, deferred):
    result = screen_request(k, request_for(protocol=protocol, planned_sun_exposure=sun))
    if not deferred:
        assert result.decision == "eligible" and result.findings == ()
        return
    assert result.decision == "defer"
    assert result.defer_until is None  # only the first day of the sun is known
    assert rules(result) == ["planned-sun"]
    assert sun in result.findings[0].reason


def test_the_sun_window_is_named_from_the_protocols_own_instructions(k):
    face = screen_request(k, request_for(planned_sun_exposure="2026-12-05")).findings[0]
    assert "(4 days before and 2 weeks after a session)" in face.reason
    hair = request_for(protocol="hair", planned_sun_exposure="2026-12-05")
    assert "(2 weeks after a session)" in screen_request(k, hair).findings[0].reason
    tr = screen_request(k, request_for(planned_sun_exposure="2026-12-05"), lang="tr")
    assert "seanstan önce 4 gün, sonra 2 hafta" in tr.findings[0].reason


def test_a_sun_window_needs_the_protocols_instructions(edited_knowledge):
    def drop_sun(files):
        p = files["protocols/hair.yaml"]
        p["aftercare"] = [a for a in p["aftercare"] if a["item"] != "no-sun"]

    k2 = edited_knowledge(drop_sun)
    result = screen_request(k2, request_for(protocol="hair", planned_sun_exposure="2026-12-01"))
    assert result.decision == "eligible"

    def before_only(files):
        drop_sun(files)
        files["protocols/hair.yaml"]["pre_treatment"].append(
            {"item": "pre-sun", "hours": 72, "sources": ["art-facial-spot"]}
        )

    k3 = edited_knowledge(before_only)
    result = screen_request(k3, request_for(protocol="hair", planned_sun_exposure="2026-11-29"))
    assert "(3 days before a session)" in result.findings[0].reason


def test_timing_questions_not_asked_leave_the_decision_and_say_so(k):
    body = request_for()
    del body["patient"]["last_filler_or_other_injectable"]
    del body["patient"]["planned_sun_exposure"]
    result = screen_request(k, body)
    assert result.decision == "eligible"
    assert [(f.rule, f.decision) for f in result.findings] == [
        ("not-asked-last_filler_or_other_injectable", "eligible"),
        ("not-asked-planned_sun_exposure", "eligible"),
    ]
    assert result.findings[0].reason.startswith("Not asked: “When did you last have a filler")
    assert result.findings[1].sources[0] == "ktskin-dermapen"
    assert result.as_dict(k)["findings"][0]["decision"] == "eligible"
    body["patient"]["pregnant"] = True  # the not-asked findings come after the others
    result = screen_request(k, body)
    assert result.decision == "contraindicated"
    assert rules(result)[0] == "pregnancy"
    del body["patient"]["allergies"]
    assert screen_request(k, body).findings[1].rule == "unanswered-allergies"


def test_the_timing_rules_are_wired_into_every_protocol(k):
    for p in k.protocols.values():
        assert {"recent-filler-or-injectable", "planned-sun"} <= set(p.contraindications)
        assert "allergy-local-anaesthetic-unlisted" in p.ingredient_rules
        no_other = next(r.hours for r in p.aftercare if r.item == "no-other-procedures")
        assert no_other == 24 * k.rules["recent-filler-or-injectable"].when.within_days


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (request_for(planned_sun_exposure="next summer"), "patient.planned_sun_exposure"),
        (request_for(last_filler_or_other_injectable=3), "patient.last_filler_or_other_injectable"),
        (request_for(implanted_devices="ICD"), "patient.implanted_devices"),
        (request_for(implanted_devices=[1]), "patient.implanted_devices[0]"),
    ],
)
def test_bad_new_fields_name_the_field(k, body, field):
    with pytest.raises(InputError) as err:
        screen_request(k, body)
    assert err.value.field == field
