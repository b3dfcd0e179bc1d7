import pytest

from mesoclinic.consent.document import compose
from mesoclinic.consent.models import ConsentTemplate
from mesoclinic.consent.validity import validity
from mesoclinic.consent.versions import current_template, current_versions
from mesoclinic.engine.knowledge import PROTOCOL_IDS, text

from .helpers import sign, use_knowledge


@pytest.mark.parametrize("protocol", PROTOCOL_IDS)
def test_every_protocol_has_a_cited_consent_text_in_each_language(k, protocol):
    body, digest = compose(k, protocol)
    assert set(body) == {"en", "tr"} and len(digest) == 64
    p = k.protocols[protocol]
    for lang, doc in body.items():
        sections = {s["id"]: s for s in doc["sections"]}
        assert list(sections) == [
            "procedure",
            "expected",
            "risks",
            "warning_signs",
            "alternatives",
            "evidence",
            "aftercare",
            "declaration",
        ]
        assert len(sections["expected"]["items"]) == len(p.expected_reactions)
        assert len(sections["risks"]["items"]) == len(k.consent.risks)
        assert len(sections["warning_signs"]["items"]) == len(p.red_flags)
        assert sections["alternatives"]["items"], f"{protocol} has no alternatives"
        assert len(sections["aftercare"]["items"]) == len(p.aftercare)
        for section in doc["sections"]:
            for item in section["items"]:
                assert item["text"].strip()
                assert all(1 <= n <= len(doc["references"]) for n in item["refs"])
                assert item["refs"] or section["id"] == "declaration"
        stage_texts = " ".join(i["text"] for i in sections["procedure"]["items"])
        assert all(text(st.description, lang) in stage_texts for st in p.stages)
    assert body["tr"]["title"] == f"Tedavi onamı: {p.title['tr']}"  # our phrases, translated
    assert (
        body["tr"]["sections"][4]["items"][0]["text"]
        == k.consent.alternatives[protocol][0].text["tr"]
    )


def test_the_procedure_says_whether_numbing_cream_is_used(k):
    needle_free = compose(k, "needle-free")[0]["en"]["sections"][0]["items"]
    face = compose(k, "face-mesolift")[0]["en"]["sections"][0]["items"]
    assert any("No numbing cream" in i["text"] for i in needle_free)
    assert any(
        "numbing (anaesthetic) cream" in i["text"] and "40 minutes" in i["text"] for i in face
    )
    assert any("A physician decides on this stage" in i["text"] for i in face)


@pytest.mark.django_db
def test_a_knowledge_change_makes_a_new_version(monkeypatch, edited_knowledge, nora, patient):
    first = current_template("face-mesolift")
    assert first.version == 1 and current_template("face-mesolift") == first
    assert current_template("hair").version == 1  # versions are per protocol
    consent = sign(nora, patient)

    def reword(files):
        files["consent.yaml"]["risks"][0]["text"]["en"] = "Infection, worded anew."

    edited = use_knowledge(monkeypatch, edited_knowledge, reword)
    assert current_versions(["face-mesolift"]) == {"face-mesolift": 2}
    second = current_template("face-mesolift")
    assert second.version == 2 and second.knowledge_version == edited.version
    assert second.content_hash != first.content_hash
    assert "Infection, worded anew." in str(second.body["en"])
    assert ConsentTemplate.objects.filter(protocol="face-mesolift").count() == 2
    valid, reasons = validity(consent, "face-mesolift", ["ha-skin-booster"])
    assert not valid and reasons == ["template version 2 is newer than the signed version 1"]


@pytest.mark.django_db
def test_a_change_elsewhere_keeps_the_version(monkeypatch, edited_knowledge):
    first = current_template("face-mesolift")
    assert current_template("hair").version == 1
    use_knowledge(
        monkeypatch,
        edited_knowledge,
        # the hair protocol's own red flag (the others name a warning sign and take its text)
        lambda f: f["protocols/hair.yaml"]["red_flags"][2]["text"].update(en="Changed."),
    )
    assert current_template("face-mesolift") == first
    assert current_template("hair").version == 2


@pytest.mark.django_db
def test_templates_are_append_only():
    from mesoclinic.audit.models import AppendOnly

    template = current_template("face-mesolift")
    template.body = {}
    with pytest.raises(AppendOnly):
        template.save()
    with pytest.raises(AppendOnly):
        ConsentTemplate.objects.filter(pk=template.pk).update(version=9)
    with pytest.raises(AppendOnly):
        template.delete()
