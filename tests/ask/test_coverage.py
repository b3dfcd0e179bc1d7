"""Issue 11, round 2: words foreign to the knowledge base, medicines by their form, stopping
a prescribed medicine, and questions in several parts."""

import pytest

from mesoclinic.engine.ask import ask
from mesoclinic.engine.ask.articles import load_articles
from mesoclinic.engine.ask.coverage import Coverage, snowball
from mesoclinic.engine.ask.engine import engine_for
from mesoclinic.engine.ask.guard import split


@pytest.fixture(scope="module")
def engine(k):
    return engine_for(k, load_articles(k))


def test_coverage_knows_the_articles_words_their_stems_and_the_general_words(engine):
    words = [
        "how",
        "long",
        "does",
        "the",
        "swelling",
        "last",
        "after",
        "my",
        "sister",
        "s",
        "session",
    ]
    assert engine.coverage.foreign(words) == []
    # Snowball stems in both languages: an ending the articles never use is still known
    assert engine.coverage.known("injecting") and engine.coverage.known("seanslarımızdan")
    assert engine.coverage.foreign(["trampoline", "session", "trampoline"]) == ["trampoline"]
    assert snowball("injections", "en") == snowball("injecting", "en") == "inject"


def test_a_typo_of_an_article_word_is_not_foreign(engine):
    assert engine.foreign(["mesotheraphy", "aftercre"]) == []


def test_coverage_built_from_texts_knows_only_them(engine):
    c = Coverage.build({"en": ["the swelling goes down"], "tr": ["şişlik iner"]}, ())
    assert c.known("swelling") and c.known("swollen") is False
    assert c.known("42") and c.known("ab")  # numbers and two-letter words say nothing
    assert c.known("swellings") and c.known("sislikler")  # stems, per language
    assert c.known("swellng")  # one typo from six letters on
    assert not c.known("trampoline") and not c.known("ab1")


@pytest.mark.parametrize(
    "question",
    [
        "how long should a podcast session be for listeners?",  # a session of something else
        "is a paint roller good for the bathroom ceiling?",
        "how do I get stains out of a linen tablecloth?",
        "tiyatro seansı kaçta başlıyor?",
        "bulaşık makinesi fiyatları ne kadar?",
        "will mesotherapy make my fingernails grow faster?",
    ],
)
def test_questions_about_something_the_knowledge_does_not_hold_are_refused(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "refuse", out["answer"]
    assert out["sources"] == []


@pytest.mark.parametrize(
    "question",
    [
        "my sister says the swelling lasts a day, how long does it last?",
        "annem soruyor: seanstan sonra ne zaman makyaj yapabilirim?",
        "how many sessions do I need for my face?",
    ],
)
def test_everyday_words_around_a_covered_question_do_not_refuse_it(k, question):
    assert ask(question, k=k)["kind"] == "answer"


@pytest.mark.parametrize(
    ("question", "drug"),
    [
        ("should I take ciprofloxacin before the session?", "ciprofloxacin"),
        ("can I put Zorbex cream on the redness?", "zorbex"),
        ("kızarıklığa fenoksal krem sürebilir miyim?", "fenoksal"),
        ("is it ok to keep using my fluconazole?", "fluconazole"),
    ],
)
def test_unknown_medicines_are_named_by_their_ending_or_form_and_refused(engine, k, question, drug):
    words = engine.words(question)
    assert engine.guard.drugs(words, engine.foreign(words)) == [drug]
    out = ask(question, k=k)
    assert out["kind"] == "refuse"
    assert "prescribing doctor" in out["answer"] or "reçeteyi yazan doktorunuza" in out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "my doctor put me on warfarin, should I stop it before my session?",
        "can I pause my isotretinoin for a month to have meso?",
        "do I need to come off fluoxetine before the treatment?",
        "kardiyoloğumun verdiği kan sulandırıcıyı seanstan önce bırakayım mı?",
    ],
)
def test_stopping_a_prescribed_medicine_goes_to_the_prescribing_doctor(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "refuse"
    assert "prescribing doctor" in out["answer"] or "reçeteyi yazan doktorunuza" in out["answer"]


def test_stopping_a_painkiller_bought_over_the_counter_is_answered(k):
    out = ask("I take ibuprofen now and then, not prescribed. how long before should I stop?", k=k)
    assert out["kind"] == "answer" and out["sources"]


def test_how_many_tablets_at_once_is_a_dose_question(k):
    out = ask("ağrı olursa aynı anda kaç tane parol alabilirim?", k=k)
    assert out["kind"] == "refuse" and "reçeteyi yazan doktorunuza" in out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "my cousin is a nurse and can do my meso in her kitchen, is that fine?",
        "how long should the numbing cream sit before I roll my own face?",
        "bought a fat dissolving shot online to dissolve my chin fat myself, where do I inject?",
        "instagramda sertifikalı biri eve gelip mezo yapıyor, güvenilir mi?",
    ],
)
def test_doing_it_oneself_gets_the_safety_answer(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "answer" and out["section"] == "safety/self-treatment"


def test_a_new_question_after_and_is_its_own_part():
    assert split("how long is a session and is there a lift in the building?") == [
        "how long is a session",
        "is there a lift in the building?",
    ]


def test_a_reason_clause_stays_with_its_question():
    assert split("should I take vitamin tablets, so the bruises heal faster?") == [
        "should I take vitamin tablets, so the bruises heal faster?"
    ]
    assert len(split("antibiyotik alayım mı, diye soruyorum?")) == 1


def test_a_part_that_points_back_borrows_the_topic_before_it(k):
    out = ask("what is organic silicon for, and who should avoid it?", k=k)
    assert [p["kind"] for p in out["parts"]] == ["answer", "answer"]
    assert out["parts"][1]["section"] == "organic-silicon/who-not"


def test_a_part_with_its_own_topic_borrows_nothing(k):
    out = ask("how long does swelling last, and is there wifi in the waiting room?", k=k)
    assert [p["kind"] for p in out["parts"]] == ["answer", "refuse"]
    assert "wifi" in out["answer"]  # the uncovered part is named


@pytest.mark.parametrize(
    "question",
    [
        "which foundation covers redness best?",
        "can you recommend a good shampoo brand?",
        "hangi nemlendirici markasını önerirsiniz?",
    ],
)
def test_a_product_or_brand_to_recommend_is_refused(k, question):
    assert ask(question, k=k)["kind"] == "refuse"


def test_a_part_with_only_general_domain_words_borrows_the_protocol_before_it(k):
    out = ask("how many sessions for the hands, and how long between sessions?", k=k)
    assert [p["section"] for p in out["parts"]] == ["sessions/hands", "sessions/hands"]


def test_a_short_follow_up_about_something_else_is_its_own_part(k):
    out = ask("seans ne kadar sürüyor, otoparkınız var mı?", k=k)
    assert [p["kind"] for p in out["parts"]] == ["answer", "refuse"]


def test_turkish_while_ending_reads_as_the_verb(k):
    out = ask("emzirirken mezoterapi yapılıyor mu?", k=k)
    assert out["kind"] == "answer" and out["section"] == "candidates/breastfeeding"
    assert "önerilmez" in out["answer"]


def test_a_medicine_taken_is_a_medicine_even_without_its_form(engine, k):
    words = engine.words("can I take melatonin to sleep after the session?")
    assert engine.guard.drugs(words, engine.foreign(words)) == ["melatonin"]
    words = engine.words("melatonin alıyorum, seanstan önce sorun olur mu?")
    assert engine.guard.drugs(words, engine.foreign(words)) == ["melatonin"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how much does a gym membership cost?", "refuse"),
        ("what is the price of a parking permit?", "refuse"),
        ("how much does the hair mesotherapy cost?", "answer"),
        ("yüz mezoterapisi kaç para?", "answer"),
    ],
)
def test_a_price_is_answered_for_the_treatment_only(k, question, kind):
    assert ask(question, k=k)["kind"] == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how long is a spinning session for beginners?", "refuse"),
        ("terapist seansı kaç dakika sürer?", "refuse"),
        ("can I do a gym session the day after?", "answer"),
        ("how long is a face session?", "answer"),
    ],
)
def test_a_session_of_something_else_is_refused(k, question, kind):
    assert ask(question, k=k)["kind"] == kind


def test_a_named_unknown_medicine_is_refused_even_beside_a_covered_one(k):
    out = ask("seanstan önce parol yerine amoksisilin alsam olur mu?", k=k)
    assert out["kind"] == "refuse" and "reçeteyi yazan doktorunuza" in out["answer"]


def test_stretch_marks_are_answered_from_the_body_article(k):
    for question in ("does mesotherapy help stretch marks?", "çatlaklara mezoterapi yapılır mı?"):
        out = ask(question, k=k)
        assert out["section"] == "about/body"


def test_a_foreign_word_alone_is_no_medicine(engine):
    words = engine.words("is the trampoline at the clinic?")
    assert engine.foreign(words) == ["trampoline"]
    assert engine.guard.drugs(words, ["trampoline"]) == []
