import pytest

from mesoclinic.engine.knowledge import DEFAULT_DIR, PROTOCOL_IDS, load, normalize, text
from mesoclinic.engine.schema import KnowledgeError
from mesoclinic.engine.signs import flags


def test_all_eleven_protocols_load(k):
    assert list(k.protocols) == list(PROTOCOL_IDS)
    assert len(k.version) == 16


def test_every_source_of_the_evidence_and_the_five_articles_is_in_the_bibliography(k):
    articles = [s for s in k.sources.values() if s.kind == "article"]
    assert len(articles) == 5
    seeds = DEFAULT_DIR.parents[2] / "shared" / "seeds"
    if seeds.is_dir():  # beside the repository on developer machines and in CI
        assert sorted(s.seed for s in articles) == sorted(p.name for p in seeds.glob("*.txt"))
    for sid in ("amin-2006", "kybella-pi", "konda-thappa-2013", "ntm-series-2007", "waldman-2017"):
        assert sid in k.sources


def test_every_protocol_item_cites_sources_and_has_english(k):
    for p in k.protocols.values():
        assert p.sources and p.series.sources and p.maintenance.sources
        assert p.stages or p.id != "face-mesolift"
        for group in (
            p.pre_treatment,
            p.aftercare,
            p.indications,
            p.zones,
            p.expected_reactions,
            flags(k, p.id),  # a red flag that names a warning sign cites the sign's sources
        ):
            for item in group:
                assert item.sources, (p.id, item)
        for rid in p.contraindications + p.ingredient_rules:
            assert k.rules[rid].sources


def test_face_mesolift_has_its_three_stages(k):
    stages = k.protocols["face-mesolift"].stages
    assert [s.number for s in stages] == [1, 2, 3]
    assert stages[1].depth_mm.max == 2.0
    assert set(stages[1].zones) == {"hairline", "temples", "jawline"}
    assert set(stages[2].zones) == {"nasolabial", "forehead", "periorbital", "perioral"}
    assert stages[2].requires_physician


def test_version_changes_with_content(edited_knowledge, k):
    def tweak(files):
        files["protocols/face-mesolift.yaml"]["session_minutes"]["value"] = 16

    assert edited_knowledge(tweak).version != k.version
    assert edited_knowledge(lambda files: None).version == k.version


def test_normalize_and_text():
    assert normalize("  Hyalüronik   ASİT ") == "hyaluronik asit"
    assert text({"en": "Hello"}, "tr") == "Hello"
    assert text({"en": "Hello", "tr": "Merhaba"}, "tr") == "Merhaba"


def _p(files):
    return files["protocols/face-mesolift.yaml"]


def _rule(files, rid):
    return next(r for r in files["rules.yaml"]["rules"] if r["id"] == rid)


def _fact(files, fid):
    return next(x for x in files["facts.yaml"]["facts"] if x["id"] == fid)


def _reaction(files, symptom):
    return next(r for r in _p(files)["expected_reactions"] if r["symptom"] == symptom)


BROKEN = [
    (
        "bad yaml",
        lambda f: f.update({"rules.yaml": "rules: [unclosed"}),
        "rules.yaml: not valid YAML",
    ),
    (
        "wrong type",
        lambda f: _p(f)["series"]["sessions"].update(min="four"),
        "protocols/face-mesolift.yaml: Expected `int`, got `str` - at `$.series.sessions.min`",
    ),
    (
        "unknown key",
        lambda f: _p(f).update(colour="red"),
        "protocols/face-mesolift.yaml: Object contains unknown field `colour`",
    ),
    (
        "no english",
        lambda f: _p(f).update(title={"tr": "Yüz"}),
        "protocols/face-mesolift.yaml: text without English at $.title",
    ),
    (
        "unknown source",
        lambda f: _p(f)["series"].update(sources=["nobody-2020"]),
        "protocols/face-mesolift.yaml: unknown source 'nobody-2020' at $.series.sources[0]",
    ),
    (
        "empty sources",
        lambda f: _p(f)["series"].update(sources=[]),
        "protocols/face-mesolift.yaml: empty sources at $.series.sources",
    ),
    (
        "duplicate id",
        lambda f: f["rules.yaml"]["rules"].append(dict(_rule(f, "pregnancy"))),
        "rules.yaml: duplicate id 'pregnancy'",
    ),
    (
        "unknown fact",
        lambda f: _rule(f, "pregnancy")["when"].update(fact="pregnancy"),
        "rules.yaml: unknown fact 'pregnancy' at $.rules",
    ),
    (
        "two tests",
        lambda f: _rule(f, "pregnancy")["when"].update({"in": ["x"]}),
        "needs exactly one of equals, in, within_days",
    ),
    (
        "type mismatch",
        lambda f: _rule(f, "pregnancy")["when"].update({"equals": None, "within_days": 3}),
        "fact 'pregnant' is bool, not date_or_null",
    ),
    (
        "bad enum value",
        lambda f: _rule(f, "diabetes-on-treatment")["when"].update({"in": ["insulin"]}),
        "'insulin' is not a value of 'diabetes'",
    ),
    (
        "value without fact",
        lambda f: _rule(f, "under-18")["when"].update(equals=True),
        "tests a value but names no fact",
    ),
    (
        "unknown class",
        lambda f: _rule(f, "lipolytic-warning")["when"].update(ingredient_class="lipo"),
        "unknown ingredient class 'lipo'",
    ),
    (
        "recent without class",
        lambda f: _rule(f, "under-18")["when"].update(recent_class_session_days=3),
        "recent_class_session_days needs ingredient_class",
    ),
    (
        "empty when",
        lambda f: _rule(f, "under-18").update(when={}),
        "rules.yaml: $.rules[0].when is empty",
    ),
    (
        "when and any",
        lambda f: _rule(f, "under-18").update(any=[{"age_below": 3}]),
        "needs exactly one of when, any",
    ),
    (
        "id mismatch",
        lambda f: _p(f).update(id="face-lift"),
        "id 'face-lift' does not match the file name",
    ),
    (
        "range order",
        lambda f: _p(f)["series"]["interval_days"].update(min=30),
        "series.interval_days must satisfy min <= default <= max",
    ),
    (
        "maintenance range",
        lambda f: _p(f)["maintenance"]["every_days"].update(default=10),
        "maintenance.every_days must satisfy",
    ),
    (
        "cream range",
        lambda f: _p(f)["anaesthetic_cream"]["lead_minutes"].update(max=10),
        "anaesthetic_cream.lead_minutes must satisfy",
    ),
    (
        "zone depth",
        lambda f: _p(f)["zones"][0]["depth_mm"].update(min=9),
        "zones[0].depth_mm must satisfy",
    ),
    (
        "unknown technique",
        lambda f: _p(f)["techniques"].append("laser"),
        "unknown technique 'laser' at $.techniques",
    ),
    (
        "zone technique",
        lambda f: _p(f)["zones"][0]["techniques"].append("microneedling"),
        "technique 'microneedling' of zone 'forehead' is not in $.techniques",
    ),
    (
        "stage number",
        lambda f: _p(f)["stages"][1].update(number=5),
        "stages must be numbered 1, 2, 3... at $.stages[1].number",
    ),
    (
        "stage zone",
        lambda f: _p(f)["stages"][0]["zones"].append("ear"),
        "unknown zone 'ear' at $.stages[0].zones",
    ),
    (
        "stage technique",
        lambda f: _p(f)["stages"][0]["techniques"].append("microneedling"),
        "technique 'microneedling' at $.stages[0] is not in $.techniques",
    ),
    (
        "unknown instruction",
        lambda f: _p(f)["aftercare"][0].update(item="no-fun"),
        "unknown after instruction 'no-fun' at $.aftercare[0].item",
    ),
    (
        "wrong kind",
        lambda f: _p(f)["pre_treatment"][0].update(item="no-water"),
        "unknown pre instruction 'no-water' at $.pre_treatment[0].item",
    ),
    (
        "hours missing",
        lambda f: _p(f)["aftercare"][0].pop("hours"),
        "$.aftercare[0] (no-water) hours must be given exactly when",
    ),
    (
        "unknown rule",
        lambda f: _p(f)["contraindications"].append("vampires"),
        "unknown rule 'vampires' at $.contraindications",
    ),
    (
        "own rule id",
        lambda f: _p(f).update(own_rules=[dict(_rule(f, "pregnancy"))]),
        "own rule 'pregnancy' reuses a rules.yaml id",
    ),
    (
        "own rule broken",
        lambda f: _p(f).update(
            own_rules=[
                {**_rule(f, "pregnancy"), "id": "x", "when": {"fact": "nope", "equals": True}}
            ]
        ),
        "unknown fact 'nope' at $.own_rules[0].when.fact",
    ),
    (
        "checkins order",
        lambda f: _p(f)["checkins"].update(days=[7, 2]),
        "$.checkins.days must be increasing",
    ),
    (
        "substance class",
        lambda f: f["ingredients.yaml"]["substances"][0].update(classes=["opioid"]),
        "substance 'lidocaine' has unknown class 'opioid'",
    ),
    (
        "shared name",
        lambda f: f["ingredients.yaml"]["substances"][1]["names"].append("Lidocaine"),
        "name 'Lidocaine' belongs to two substances",
    ),
    (
        "triage protocol",
        lambda f: f["triage.yaml"]["rules"][0].update(protocols=["botox"]),
        "triage.yaml: unknown protocol 'botox'",
    ),
    (
        "window without sides",
        lambda f: _rule(f, "planned-sun")["when"].update(window={}),
        "window needs before, after or both",
    ),
    (
        "window item kind",
        lambda f: _rule(f, "planned-sun")["when"].update(window={"before": "no-sun"}),
        "unknown pre instruction 'no-sun' at $.rules",
    ),
    (
        "window on a bool",
        lambda f: _rule(f, "planned-sun")["when"].update(fact="pregnant"),
        "fact 'pregnant' is bool, not date_or_null",
    ),
    (
        "window without fact",
        lambda f: _rule(f, "planned-sun")["when"].pop("fact"),
        "tests a value but names no fact",
    ),
    (
        "allergy class",
        lambda f: _rule(f, "allergy-local-anaesthetic-unlisted")["when"].update(
            allergy_class=["opioid"]
        ),
        "unknown ingredient class 'opioid' at $.rules",
    ),
    (
        "devices without implies",
        lambda f: _fact(f, "implanted_devices").pop("implies"),
        "fact 'implanted_devices': a devices fact, and only it, names the bool it implies",
    ),
    (
        "implies on a list",
        lambda f: _fact(f, "allergies").update(implies="pregnant"),
        "fact 'allergies': a devices fact, and only it, names the bool it implies",
    ),
    (
        "implies a date",
        lambda f: _fact(f, "implanted_devices").update(implies="isotretinoin_last_dose"),
        "implies 'isotretinoin_last_dose', which is not a bool fact",
    ),
    (
        "ahead on a bool",
        lambda f: _fact(f, "pregnant").update(ahead=True),
        "fact 'pregnant': ahead is for date_or_null facts",
    ),
    (
        "optional non-timing",
        lambda f: _fact(f, "pregnant").update(optional=True),
        "fact 'pregnant': only timing (date) facts may be optional",
    ),
    (
        "brand substance",
        lambda f: f["ingredients.yaml"]["brands"][0].update(substances=["unobtainium"]),
        "unknown substance 'unobtainium' at $.brands[0].substances",
    ),
    (
        "brand name clash",
        lambda f: f["ingredients.yaml"]["brands"][0]["names"].append("prilocaine"),
        "brand name 'prilocaine' names two different things",
    ),
    (
        "brand twice",
        lambda f: f["ingredients.yaml"]["brands"][1]["names"].append("EMLA"),
        "brand name 'EMLA' names two different things",
    ),
    (
        "brand without note",
        lambda f: f["ingredients.yaml"]["brands"][0].pop("note"),
        "Object missing required field `note`",
    ),
    (
        "device name twice",
        lambda f: f["devices.yaml"]["devices"][1]["names"]["en"].append("pacemaker"),
        "devices.yaml: name 'pacemaker' (en) belongs to two devices",
    ),
    (
        "device without sources",
        lambda f: f["devices.yaml"]["devices"][0].update(sources=[]),
        "devices.yaml: empty sources",
    ),
    (
        "reaction minutes",
        lambda f: _reaction(f, "burning").update(minutes={"min": 20, "max": 15}),
        "expected_reactions[",
    ),
    (
        "alternative span",
        lambda f: _p(f)["series"]["alternatives"][0].update(sessions={"min": 4, "max": 3}),
        "series.alternatives[0].sessions must satisfy",
    ),
    (
        "aftercare alternative span",
        lambda f: _p(f)["aftercare"][0]["alternatives"][0].update(hours={"min": 9, "max": 6}),
        "aftercare[0].alternatives[0].hours must satisfy",
    ),
    ("missing devices", lambda f: f.update({"devices.yaml": None}), "devices.yaml: missing"),
    ("missing file", lambda f: f.update({"facts.yaml": None}), "facts.yaml: missing"),
]


@pytest.mark.parametrize(("name", "edit", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_fails_loudly_naming_file_and_field(edited_knowledge, name, edit, message):
    with pytest.raises(KnowledgeError) as err:
        edited_knowledge(edit)
    assert message in str(err.value)


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(KnowledgeError, match="knowledge directory not found"):
        load(tmp_path / "nowhere")


def test_an_unknown_placeholder_stays_visible_instead_of_failing():
    from mesoclinic.engine.knowledge import SafeFormat

    assert (
        "Wait until {until} ({missing})".format_map(SafeFormat(until="2026-12-09"))
        == "Wait until 2026-12-09 ({missing})"
    )


def test_consent_content_is_checked(edited_knowledge):
    with pytest.raises(KnowledgeError, match="consent.yaml: unknown protocol 'botox'"):
        edited_knowledge(lambda f: f["consent.yaml"]["alternatives"].update(botox=[]))
    with pytest.raises(
        KnowledgeError, match="unknown ingredient class 'x' of product class 'ha-skin-booster'"
    ):
        edited_knowledge(
            lambda f: f["consent.yaml"]["product_classes"][0].update(ingredient_class="x")
        )
