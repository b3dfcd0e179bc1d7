"""Issue 11: `ask` answers only what is answered, and is safe with patients."""

import pytest

from mesoclinic.engine.ask import ask
from mesoclinic.engine.ask.guard import is_question, split


@pytest.mark.parametrize(
    ("question", "level", "sign"),
    [
        ("tight lip and my voice is hoarse since the session", "emergency", "airway"),
        ("my eyelid is drooping after the under-eye treatment", "emergency", "eyes"),
        ("yanağımda mor dantel gibi bir desen var, ağrı da giderek artıyor", "urgent", "vessel"),
        ("hives spreading all over and I feel faint", "emergency", "airway"),
        ("no fever, but there is pus at two points", "urgent", "infection"),
    ],
)
def test_warning_signs_come_first_with_their_level_and_the_words(k, question, level, sign):
    out = ask(question, k=k)
    assert out["kind"] == "urgent" and out["level"] == level
    assert out["answer"].startswith(k.triage.advice[level][out["lang"]])
    assert sign in {s["sign"] for s in out["signs"]} and all(s["words"] for s in out["signs"])


def test_a_negated_sign_is_no_emergency(k):
    assert (
        ask("no fever and no pus, just a little redness, is that normal?", k=k)["kind"] != "urgent"
    )
    assert ask("ateşim yok, kızarıklık normal mi?", k=k)["kind"] != "urgent"


@pytest.mark.parametrize(
    "question",
    [
        "where can I donate blood near here?",
        "what helps with period cramps?",
        "how much is a ring with a small diamond?",
        "kan grubumu nerede öğrenebilirim?",
        "regl sancısına ne iyi gelir?",
    ],
)
def test_off_topic_questions_built_around_domain_words_are_refused(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "refuse" and out["sources"] == []


@pytest.mark.parametrize(
    "question",
    [
        "should I take antibiotics just in case after my session?",
        "can I put cortisone cream on the bumps?",
        "seanstan sonra önlem olarak antibiyotik alayım mı?",
    ],
)
def test_medicines_the_knowledge_does_not_cover_are_refused_never_recommended(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "refuse" and out["sources"] == []
    assert "prescribing doctor" in out["answer"] or "reçeteyi yazan doktorunuza" in out["answer"]


def test_doses_and_stopping_a_prescribed_medicine_go_to_the_prescribing_doctor(k):
    out = ask("I'm on apixaban, should I skip my evening dose before the session?", k=k)
    assert out["kind"] == "refuse" and "ask your prescribing doctor" in out["answer"]
    assert "prescribing doctor" in ask("I'm on warfarin, should I stop it?", k=k)["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "can I buy a derma roller and vials online and do it myself at home?",
        "my beautician offers meso injections in her salon, is that ok?",
        "internetten aldığım kokteyli kendime enjekte edebilir miyim?",
    ],
)
def test_self_treatment_gets_a_safety_answer_never_instructions(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "answer" and out["section"] == "safety/self-treatment"
    assert out["sources"][0]["cites"]
    assert "physician" in out["answer"] or "hekim" in out["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "I have an ICD and I hate needles, which option suits me?",
        "I have a pacemaker, can I have the needle free one?",
        "insülin pompam var, iğnesiz mezoterapi olur mu?",
        "kalbimde şok cihazı var (ICD), elektrikli yöntem bana uygun mu?",
        "I've got a spinal cord stimulator implanted, is the electric option ok?",
    ],
)
def test_an_implanted_device_is_never_offered_the_electrical_option(k, question):
    out = ask(question, k=k)
    assert out["section"] == "candidates/devices"
    assert "suits people who fear needles" not in out["answer"]
    assert "not suitable" in out["answer"] or "uygun değildir" in out["answer"]
    assert out["sources"][0]["cites"]


def test_each_part_of_a_question_is_answered_or_named_as_not_covered(k):
    out = ask("when can I wash my hair after scalp meso, and which shampoo brand is best?", k=k)
    assert [p["kind"] for p in out["parts"]] == ["answer", "refuse"]
    assert out["kind"] == "answer" and out["sources"]
    assert "which shampoo brand is best" in out["answer"]  # named as not covered
    both = ask("saunaya ne zaman girebilirim, spora ne zaman başlarım?", k=k)
    assert [p["kind"] for p in both["parts"]] == ["answer", "answer"]
    assert {p["section"] for p in both["parts"]} == {"aftercare/heat", "aftercare/sport"}
    one = ask("Mezoterapi nedir, ne işe yarar?", k=k)
    assert len(one["parts"]) == 1


def test_a_sign_beside_a_question_is_urgent_and_the_question_still_a_part(k):
    out = ask("do I need sunscreen after? also my right eyelid has been sagging", k=k)
    assert out["kind"] == "urgent" and out["level"] == "emergency"
    assert [p["kind"] for p in out["parts"]] == ["answer", "urgent"]


def test_splitting():
    assert split("I'm on warfarin, should I stop it?") == ["I'm on warfarin, should I stop it?"]
    assert split("how long no sport, how long no alcohol, and can I tan?") == [
        "how long no sport",
        "how long no alcohol",
        "can I tan?",
    ]
    assert split("a? b? c? d?") == ["a?", "b?", "c? d?"]
    assert split("Thanks. So kind.") == ["Thanks. So kind."]
    assert split("Is it safe? I'm breastfeeding.") == ["Is it safe? I'm breastfeeding."]
    assert (
        is_question("yapılıyor mu")
        and is_question("kaç seans")
        and not is_question("kızım 15 yaşında")
    )
