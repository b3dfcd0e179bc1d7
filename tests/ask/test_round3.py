"""Issue 11, round 3: the general mechanisms added for answers, refusals and warning signs.

Each test states a behaviour in words other than the evaluation sets' (tests/ask/eval).
"""

import pytest

from mesoclinic.engine.ask import ask
from mesoclinic.engine.ask.articles import load_articles
from mesoclinic.engine.ask.engine import engine_for


@pytest.fixture(scope="module")
def engine(k):
    return engine_for(k, load_articles(k))


def signs(k, text):
    return {(h.sign, h.part) for h in k.signs.detector.detect(text, after_session=True)}


def test_a_list_of_body_parts_called_normal_is_negated_but_a_sign_beside_it_is_not(k):
    assert not signs(k, "a bit pink and tingly, lips and tongue normal, no rash")
    assert not signs(k, "yüzüm kızarık, dudaklarım ve dilim normal")
    assert ("airway", "lips-tongue") in signs(k, "lips swollen and tongue fine")
    assert ("airway", "lips-tongue") in signs(k, "dudaklarım ve dilim şişti")


def test_lips_that_look_stung_or_a_squeaky_voice_are_an_emergency(k):
    out = ask("my lips look like something stung them since the session", k=k)
    assert out["kind"] == "urgent" and out["level"] == "emergency"
    out = ask("my voice has gone all squeaky after the neck injections", k=k)
    assert out["kind"] == "urgent" and out["level"] == "emergency"


def test_a_shadow_over_part_of_what_one_sees_is_an_emergency(k):
    out = ask("there is a grey shadow over the left half of what I see since this morning", k=k)
    assert out["kind"] == "urgent" and out["level"] == "emergency"


def test_a_warning_sign_reported_after_a_question_is_its_own_part(k):
    out = ask("when can I go back to the gym? and since last night my eyelid droops", k=k)
    assert out["kind"] == "urgent" and out["level"] == "emergency"
    kinds = [p["kind"] for p in out["parts"]]
    assert kinds == ["answer", "urgent"]
    assert out["parts"][0]["section"] == "aftercare/sport"


def test_coming_back_is_answered_from_the_treatments_own_schedule(k):
    out = ask("when do I need a top-up?", k=k, protocol="facial-pigmentation")
    assert out["section"] == "sessions/facial-pigmentation"
    assert "6 to 12 months" in out["answer"] and out["sources"][0]["cites"]
    out = ask("saç kürü bitince tekrar gelmem gerekiyor mu?", k=k, protocol="hair")
    assert out["section"] == "sessions/hair"


def test_the_source_articles_own_value_stands_beside_the_stricter_default(k):
    out = ask("how many sessions do acne scars take?", k=k)
    assert "3 to 6" in out["answer"] and "3 to 4" in out["answer"]
    out = ask("how many days before my session should I stay out of the sun?", k=k)
    assert out["section"] == "before/sun" and "3 to 4 days" in out["answer"]
    out = ask("vücut seansları hangi sıklıkla yapılıyor?", k=k)
    assert "15-28 gün" in out["answer"] and "15 gün" in out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "my neighbour does nails and now offers vitamin injections in her spare room, ok?",
        "can my friend and I share one derma roller if we clean it?",
        "a guy at work sells fat dissolving shots, should I buy them?",
        "kuaförüm evinde yüze vitamin iğnesi yapıyor, gideyim mi?",
        "spor hocam zayıflama iğnesi satıyo, deneyeyim mi?",
    ],
)
def test_non_medical_people_selling_or_sharing_get_the_safety_answer(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "answer" and out["section"] == "safety/self-treatment"


def test_a_fully_known_question_about_it_is_answered_but_not_a_follow_up(k):
    out = ask("is it ok for someone who is 17?", k=k)
    assert out["kind"] == "answer" and "18" in out["answer"]
    out = ask("how long is a face session, and is there wifi in the waiting room?", k=k)
    assert [p["kind"] for p in out["parts"]] == ["answer", "refuse"]


def test_turkish_chat_forms_are_read_as_written(engine):
    assert engine.coverage.known("satiyo") and engine.coverage.known("gerekiyo")
    assert engine.coverage.known("yapicam")


@pytest.mark.parametrize(
    "question",
    [
        "tansiyon ilacımı seanstan önce bırakayım mı?",
        "should I stop my birth control pill before body meso?",
    ],
)
def test_stopping_an_own_medicine_goes_to_the_prescribing_doctor(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "refuse"
    assert "prescribing doctor" in out["answer"] or "reçeteyi yazan doktorunuza" in out["answer"]


def test_a_vaccine_is_another_procedure_not_covered(k):
    assert ask("can I get a flu shot in the same week as my session?", k=k)["kind"] == "refuse"


def test_a_massage_session_is_not_a_mesotherapy_session(k):
    assert ask("after a massage session should I drink lots of water?", k=k)["kind"] == "refuse"


def test_a_contraindication_says_its_verdict_plainly(k):
    assert "not suitable" in ask("I'm pregnant, can I continue my course?", k=k)["answer"]
    out = ask("şeker hastasıyım, organik silisyum bana uygun mu?", k=k)
    assert "uygun değildir" in out["answer"]


def test_spots_on_the_hands_are_the_hands_treatment_and_on_the_face_the_spot_one(k):
    out = ask("can you treat brown spots on the back of my hands?", k=k)
    assert out["protocol"] == "hands" and "hand" in out["answer"].lower()
    assert ask("ellerimin üstündeki lekeler için de uygulanıyor mu?", k=k)["protocol"] == "hands"
    out = ask("spots on my face, how many sessions?", k=k)
    assert out["section"] == "sessions/facial-pigmentation"


def test_a_follow_up_that_only_asks_how_often_borrows_the_topic_before_it(k):
    out = ask("what is the plan for the neck treatment, how often do I come in", k=k)
    assert [p["kind"] for p in out["parts"]] == ["answer", "answer"]
    assert out["parts"][1]["section"] == "sessions/neck-decollete"


def test_a_product_to_recommend_is_refused_and_a_short_english_word_is_no_turkish_stem(k):
    assert ask("which tanning oil would you recommend for my holiday?", k=k)["kind"] == "refuse"
    out = ask("doğumdan sonra karnımda çatlaklar çıktı, mezoterapi iyi gelir mi?", k=k)
    assert out["kind"] == "answer" and "çatlak" in out["answer"]
