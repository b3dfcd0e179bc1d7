"""The answering engine: emergencies first, honest refusals, answers with sources whose
numbers come from the knowledge base, personalised by protocol and day."""

import pytest

from mesoclinic.engine.ask import KINDS, ask, load_articles
from mesoclinic.engine.ask.articles import placeholders, render, resolve
from mesoclinic.engine.inputs import InputError
from mesoclinic.engine.knowledge import load
from mesoclinic.engine.schema import KnowledgeError

CONTRACT = {"kind", "lang", "answer", "sources"}


def check_contract(out):
    assert out.keys() >= CONTRACT
    assert out["kind"] in KINDS and out["lang"] in ("en", "tr") and out["answer"]
    for s in out["sources"]:
        assert s.keys() >= {"article", "section", "cites"} and s["cites"]


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("My lips are swelling and I can't breathe", "emergency"),
        ("i cant breath", "emergency"),
        ("my tounge is swolen", "emergency"),
        ("my vison is blury after the injection", "emergency"),
        ("I can't see properly out of my left eye", "emergency"),
        ("the skin went white and the pain is terrible", "urgent"),
        ("redness is spreading and I have a fever", "urgent"),
        ("pus is coming out of a spot", "urgent"),
        ("blisters appeared where the needles went in", "urgent"),
        ("Dudaklarım şişti, nefes alamıyorum", "emergency"),
        ("nefesim daraliyor", "emergency"),
        ("dilim şişiyor", "emergency"),
        ("goremiyorum gozum karardi", "emergency"),
        ("boğazım kapanıyor, yutkunamıyorum", "emergency"),
        ("kızarıklık yayılıyor ve ateşim var", "urgent"),
        ("cildim bembeyaz oldu", "urgent"),
        ("enjeksiyon yerinden irin geliyor", "urgent"),
    ],
)
def test_emergencies_are_routed_first_with_what_to_do_now(k, question, level):
    out = ask(question, k=k)
    check_contract(out)
    assert out["kind"] == "urgent" and out["level"] == level
    advice = k.triage.advice[level][out["lang"]]
    assert out["answer"].startswith(advice)  # what to do now comes before anything else
    assert out["sources"][0]["section"] == "warning-signs"


@pytest.mark.parametrize(
    "question",
    [
        "Mezoterapi fiyatları neye göre değişir?",  # "göre" is not "görme" (vision)
        "dudak dolgusu ne kadar kalıcı",  # lip filler, not swollen lips
        "I have the flu and a fever, should I come to my appointment tomorrow?",
        "Does it hurt a lot?",
        "is redness normal after mesotherapy",
    ],
)
def test_ordinary_questions_are_not_emergencies(k, question):
    assert ask(question, k=k)["kind"] != "urgent"


@pytest.mark.parametrize(
    "question",
    [
        "How much does botox cost?",
        "What's the weather like in Istanbul tomorrow?",
        "Can you give me a diet plan?",
        "lazer epilasyon kaç seans",
        "Galatasaray maçı kaç kaç bitti?",
        "What is the capital of Australia?",
        "zzzz qqqq",
    ],
)
def test_questions_outside_the_knowledge_base_are_refused_honestly(k, question):
    out = ask(question, k=k)
    check_contract(out)
    assert out["kind"] == "refuse" and out["sources"] == []
    assert "outside" in out["answer"] or "dışında" in out["answer"]


def test_other_procedures_timed_around_mesotherapy_are_answered(k):
    out = ask("Can I get botox a few days after mesotherapy?", k=k)
    assert out["section"] == "aftercare/other-procedures" and "2 weeks" in out["answer"]


@pytest.mark.parametrize(
    ("question", "section", "fact"),
    [
        ("When can I wear makeup again?", "aftercare/makeup", "24 hours"),
        ("Ne zaman makyaj yapabilirim?", "aftercare/makeup", "24 saat"),
        ("How many sessions for hair mesotherapy?", "sessions/hair", "4 to 6"),
        ("yüz mezoterapisi kaç seans", "sessions/face-mesolift", "4-6"),
        ("Is it safe during pregnancy?", "candidates/pregnancy", "pregnan"),
        ("How much does it cost?", "cost/price", "price"),
        ("Does insurance cover it?", "cost/insurance", "insurance"),
    ],
)
def test_answers_are_short_and_name_their_sources(k, question, section, fact):
    out = ask(question, k=k)
    check_contract(out)
    assert out["kind"] == "answer" and out["section"] == section and fact in out["answer"]
    assert out["answer"].count(". ") <= 3
    article, sec = section.split("/")
    assert out["sources"][0]["article"] == article and out["sources"][0]["section"] == sec
    assert out["knowledge_version"] == k.version and out["articles_version"]


def test_blood_thinners_are_never_to_be_stopped(k):
    for q in ("I'm on warfarin, should I stop it?", "Kan sulandırıcımı bırakayım mı?"):
        out = ask(q, k=k)
        assert (
            "prescribing doctor" in out["answer"] or "reçeteyi yazan doktorunuza" in out["answer"]
        )


def test_the_day_and_protocol_personalise_the_answer(k):
    out = ask("day 2 after hair mesotherapy: may I wash my hair?", k=k)
    assert out["section"] == "aftercare/hair-wash" and out["protocol"] == "hair"
    assert out["aftercare_day"] == 2 and "no longer applies" in out["answer"]
    early = ask("Can I wash my hair?", protocol="hair", aftercare_day=1, k=k)
    assert "about 24 hours more" in early["answer"]
    tr = ask("Saçımı yıkayabilir miyim?", protocol="hair", aftercare_day=0, k=k)
    assert tr["lang"] == "tr" and "seans gününüzdesiniz" in tr["answer"].lower() + tr["answer"]
    micro = ask("When can I exercise?", protocol="microneedling", aftercare_day=1, k=k)
    assert "3 days" in micro["answer"]  # microneedling's own sport rule, not the face's


def test_usual_reactions_are_judged_against_their_usual_length(k):
    within = ask("How long will the bruises last?", protocol="hair", aftercare_day=4, k=k)
    assert "can still be normal" in within["answer"]
    over = ask("the redness has not gone, is it normal?", aftercare_day=5, k=k)
    assert over["kind"] == "answer" and "contact the clinic" in over["answer"]


def test_a_protocol_without_the_rule_says_so(k):
    out = ask("When can I wear makeup again?", protocol="hair", k=k)
    assert out["answer"].startswith("Your aftercare for Hair mesotherapy")
    assert "24 hours" in out["answer"] and out["protocol"] == "face-mesolift"


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("yuzumu ne zaman yikayabilirim", "tr"),
        ("mezoterapi kac seans yapilmali", "tr"),
        ("Saçımı yıkayabilir miyim", "tr"),
        ("When can I wash my face?", "en"),
        ("PRP", "en"),
    ],
)
def test_the_language_is_detected_when_not_given(k, question, lang):
    assert ask(question, k=k)["lang"] == lang


def test_typos_and_lay_words(k):
    assert ask("Are the results permanant?", k=k)["section"] in ("results/how-long", "about/claims")
    assert ask("I'm 16, can I have mesotherapy?", k=k)["section"] == "candidates/age"
    assert ask("How many sesions for hair mesotheraphy?", k=k)["section"] == "sessions/hair"


def test_the_portals_protocol_picks_its_own_section(k):
    assert ask("When will I see results?", k=k)["section"] == "results/when"
    assert ask("When will I see results?", protocol="hair", k=k)["section"] == "results/hair"


def test_the_language_can_be_given(k):
    assert ask("When can I wear makeup again?", lang="tr", k=k)["lang"] == "tr"


def test_days_are_read_from_the_question(k):
    from mesoclinic.engine.ask.engine import day_in

    assert day_in("it's day 3 after my treatment") == 3
    assert day_in("Saç mezoterapisinden sonraki 2. gün") == 2
    assert day_in("3 weeks after my session") == 21
    assert day_in("yesterday I had it") == 1
    assert day_in("can I wear make-up tonight") == 0
    assert day_in("next week") == 7
    assert day_in("when can I") is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "   "}, "question"),
        ({"question": "x" * 1001}, "question"),
        ({"question": "hi", "lang": "fr"}, "lang"),
        ({"question": "hi", "protocol": "nope"}, "protocol"),
        ({"question": "hi", "aftercare_day": -1}, "aftercare_day"),
        ({"question": "hi", "aftercare_day": True}, "aftercare_day"),
    ],
)
def test_bad_input_names_the_field(k, kwargs, field):
    with pytest.raises(InputError) as err:
        ask(k=k, **kwargs)
    assert err.value.field == field


def test_a_clinics_approved_text_is_used_but_numbers_still_come_from_the_rules(k):
    body = {
        "en": "Our clinic: no make-up for {p.aftercare.no-makeup}, please.",
        "tr": "Kliniğimiz: {p.aftercare.no-makeup} makyaj yok.",
    }
    out = ask("When can I wear makeup again?", k=k, overrides={"aftercare/makeup": body})
    assert out["answer"] == "Our clinic: no make-up for 24 hours, please."


def test_every_placeholder_in_the_articles_resolves_in_both_languages(k):
    arts = load_articles(k)
    assert len(arts.articles) >= 12 and len(arts.sections) >= 60
    for key, sec in arts.sections.items():
        for lang in ("en", "tr"):
            text, keys, _src = render(k, arts.extra, sec.body[lang], lang, sec.protocol)
            assert "{" not in text, key
            assert sorted(keys) == sorted(placeholders(sec.body[lang]))


def test_article_numbers_follow_the_knowledge_base(edited_knowledge):
    """Change a rule and the article changes with it: an article cannot contradict it."""

    def edit(files):
        for item in files["protocols/face-mesolift.yaml"]["aftercare"]:
            if item["item"] == "no-makeup":
                item["hours"] = 12

    target = edited_knowledge(edit, load_it=False)
    k2 = load(target)
    out = ask(
        "When can I wear makeup again?", k=k2, articles=load_articles(k2, target / "articles")
    )
    assert "12 hours" in out["answer"] and "24 hours" not in out["answer"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: a["sections"][0]["body"].update(en="Wait 24 hours."), "typed in by hand"),
        (
            lambda a: a["sections"][0]["body"].update(
                en="{face-mesolift.nope}", tr="{face-mesolift.nope}"
            ),
            "unknown placeholder",
        ),
        (
            lambda a: a["sections"][0]["body"].update(en="{face-mesolift.session_minutes}"),
            "different placeholders",
        ),
        (lambda a: a["sections"][0]["body"].pop("tr"), "needs exactly en and tr"),
        (lambda a: a["sections"][0].update(sources=[]), "empty sources"),
        (lambda a: a["sections"][0].update(sources=["nope"]), "unknown source"),
        (lambda a: a["sections"][0].update(protocol="nope"), "unknown protocol"),
        (lambda a: a["sections"][0].update(item="nope"), "unknown item"),
        (lambda a: a["sections"].append(a["sections"][0]), "duplicate section id"),
        (lambda a: a.update(id="other"), "does not match the file name"),
        (lambda a: a.update(extra_field=1), "extra_field"),
    ],
)
def test_a_broken_article_fails_loudly_naming_the_file_and_field(edited_knowledge, edit, message):
    target = edited_knowledge(lambda files: edit(files["articles/cost.yaml"]), load_it=False)
    with pytest.raises(KnowledgeError) as err:
        load_articles(load(target), target / "articles")
    assert "articles/cost.yaml" in str(err.value) and message in str(err.value)


def test_broken_article_files_and_folders(edited_knowledge, tmp_path):
    target = edited_knowledge(
        lambda files: files.update({"articles/cost.yaml": "a: [b"}), load_it=False
    )
    k2 = load(target)
    with pytest.raises(KnowledgeError, match="not valid YAML"):
        load_articles(k2, target / "articles")
    (target / "articles" / "cost.yaml").unlink()
    (target / "articles" / "_ask.yaml").unlink()
    with pytest.raises(KnowledgeError, match="_ask.yaml: missing"):
        load_articles(k2, target / "articles")
    with pytest.raises(KnowledgeError, match="not found"):
        load_articles(k2, tmp_path / "nowhere")


def test_placeholder_formats(k):
    arts = load_articles(k)
    x = arts.extra
    assert resolve(k, x, "face-mesolift.series.sessions", "en").text == "4 to 6"
    assert resolve(k, x, "face-mesolift.series.sessions.default", "en").text == "4"
    assert resolve(k, x, "face-mesolift.series.interval", "tr").text == "2-3 hafta"
    assert resolve(k, x, "hair.series.interval.every", "tr").text == "4-6 haftada bir"
    assert resolve(k, x, "hair.maintenance.every", "en").text == "every 6 months"
    assert resolve(k, x, "body-cellulite.series.interval", "en").text == "15 to 28 days"
    assert resolve(k, x, "rules.isotretinoin-recent.within", "en").text == "6 months"
    assert resolve(k, x, "rules.recent-nsaid.within", "tr").text == "2 hafta"
    assert resolve(k, x, "rules.under-18.age", "en").text == "18"
    assert resolve(k, x, "rules.lipolytic-interval.class_days", "en").text == "4 weeks"
    assert resolve(k, x, "microneedling.rules.microneedling-age-22.age", "en").text == "22"
    assert resolve(k, x, "p.title", "tr", "hair").text == "Saç mezoterapisi (saçlı deri)"
    assert resolve(k, x, "face-mesolift.cream.lead", "en").text == "30 to 60"
    assert resolve(k, x, "face-mesolift.stages.2.depth_max", "en").text == "2"
    assert resolve(k, x, "face-mesolift.pre.pre-sun", "en").text == "4 days"
    for bad in (
        "nope.series.sessions",
        "face-mesolift",
        "face-mesolift.series.nope",
        "face-mesolift.pre.pre-blood-thinners",
        "face-mesolift.stages.9.depth_max",
        "prp.stages.1.depth_max",
        "needle-free.cream.lead",
        "rules.pregnancy.age",
        "rules.under-18.within",
        "rules.recent-nsaid.class_days",
    ):
        with pytest.raises((KeyError, IndexError, ValueError)):
            resolve(k, x, bad, "en")


def test_the_articles_own_value_is_shown_beside_a_stricter_default(k):
    arts = load_articles(k)
    x = arts.extra
    fact = resolve(k, x, "acne-scar.series.interval.article", "en")
    assert fact.text == "1 week" and fact.sources == ("art-facial-spot",)
    assert resolve(k, x, "facial-pigmentation.series.interval.article", "tr").text == "1 hafta"
    assert resolve(k, x, "face-mesolift.series.sessions.article", "tr").text == "3-4"
    assert resolve(k, x, "face-mesolift.expected.burning.minutes", "en").text == "15 to 20 minutes"
    assert resolve(k, x, "acne-scar.expected.burning.minutes", "tr").text == "15-20 dakika"
    for bad in (
        "hair.series.interval.article",  # no article value is set apart there
        "microneedling.expected.burning.minutes",  # burning for hours: no minutes
        "face-mesolift.series.maintenance.article",
    ):
        with pytest.raises(KeyError):
            resolve(k, x, bad, "en")
    for question, lang, default, article in [
        ("How many sessions for acne scars?", "en", "4 to 6 weeks apart", "1 week apart"),
        ("leke için kaç seans", "tr", "4-6 hafta arayla", "1 hafta ara"),
    ]:
        answer = ask(question, k=k, lang=lang)["answer"]
        assert default in answer and article in answer, answer


def test_the_article_value_follows_the_knowledge(edited_knowledge):
    def edit(files):
        alt = files["protocols/acne-scar.yaml"]["series"]["alternatives"][0]
        alt["interval_days"] = {"min": 7, "max": 14}

    target = edited_knowledge(edit, load_it=False)
    k2 = load(target)
    arts = load_articles(k2, target / "articles")
    assert resolve(k2, arts.extra, "acne-scar.series.interval.article", "en").text == "1 to 2 weeks"


def test_the_burning_figure_comes_from_the_article_not_the_triage_threshold(k):
    answer = ask("Does mesotherapy hurt?", k=k, lang="en")["answer"]
    assert "15 to 20 minutes" in answer and "24 hours" not in answer
    tr = ask("mezoterapi acıtır mı", k=k, lang="tr")["answer"]
    assert "15-20 dakika içinde geçen kısa bir yanma" in tr and "24 saat" not in tr


@pytest.mark.parametrize(
    ("question", "lang", "section", "needle"),
    [
        (
            "Who performs mesotherapy? Can a beautician do it?",
            "en",
            "about/who-performs",
            "physician",
        ),
        ("mezoterapiyi kim yapar", "tr", "about/who-performs", "hekim"),
        ("How many sessions do I need?", "en", "sessions/general", "3 or 6"),
        ("Does mesotherapy help stretch marks?", "en", "about/body", "stretch marks"),
    ],
)
def test_the_articles_missing_facts_are_answered(k, question, lang, section, needle):
    out = ask(question, k=k, lang=lang)
    assert out["kind"] == "answer" and out["section"] == section, out
    assert needle in out["answer"]


def _turkish_texts():
    """Every Turkish text the clinic shows: knowledge YAML `tr` strings (not the lists of
    words patients may use) and the compiled Turkish catalogues."""
    import gettext

    import yaml

    from mesoclinic.engine.knowledge import DEFAULT_DIR

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("ask", "names"):
                    yield from walk(value, (*path, key))
        elif isinstance(node, list):
            for value in node:
                yield from walk(value, path)
        elif isinstance(node, str) and path and path[-1] == "tr":
            yield node

    for path in sorted(DEFAULT_DIR.rglob("*.yaml")):
        for value in walk(yaml.safe_load(path.read_text(encoding="utf-8")), ()):
            yield path.name, value
    for mo in sorted(DEFAULT_DIR.parent.rglob("locale/tr/LC_MESSAGES/django.mo")):
        with mo.open("rb") as fh:
            for value in gettext.GNUTranslations(fh)._catalog.values():
                yield mo.parent.parent.parent.parent.name, str(value)


def test_turkish_wording_errors_found_in_review_are_gone(k):
    texts = list(_turkish_texts())
    assert len(texts) > 1000
    for where, value in texts:
        low = value.casefold()
        assert "uyuşturucu" not in low, (where, value)  # reads as narcotics
        assert "klinik diyabet" not in low, (where, value)
        assert "iyileşmeye kadar" not in low, (where, value)
        assert "24 saat içinde geçen" not in low, (where, value)
    question = k.facts["last_aspirin_or_nsaid"].question
    assert "iltihap giderici" in question["tr"] and "Parasetamol" in question["tr"]
    assert "anti-inflammatory" in question["en"] and "Paracetamol does not count" in question["en"]
