"""The domain gate: a question is answered only if it names something the articles are about,
matched on whole words and grammatical endings, never on a bare five-letter prefix."""

import pytest

from mesoclinic.engine.ask import ask, load_articles
from mesoclinic.engine.ask.domain import INFLECTION, MAX_ENDINGS, strict_matches, tr_endings
from mesoclinic.engine.ask.engine import engine_for

VERBS = frozenset({"emzir", "kizar", "sis"})


@pytest.mark.parametrize(
    ("token", "word", "lang", "matches"),
    [
        # Turkish: endings in their order, with buffer letters and softening
        ("mezoterapisinden", "mezoterapi", "tr", True),
        ("seanslarimizdan", "seans", "tr", True),
        ("seansa", "seans", "tr", True),
        ("seansya", "seans", "tr", False),  # a buffer letter after a consonant
        ("kalcaya", "kalca", "tr", True),
        ("kalcaa", "kalca", "tr", False),  # a vowel after a vowel needs the buffer
        ("kalcama", "kalca", "tr", True),  # my + to, after a vowel
        ("seansma", "seans", "tr", False),  # ... not after a consonant
        ("seansinlar", "seans", "tr", False),  # plural cannot follow a possessive
        ("ucugum", "ucuk", "tr", True),  # uçuk -> uçuğ-um
        ("kizarikligim", "kizar", "tr", True),  # -lık -> -lığ-ım before a vowel
        ("kizariklig", "kizar", "tr", False),  # ... and only before a vowel
        ("emziriyorum", "emzir", "tr", True),  # a verb root takes verb endings
        ("emziriyorma", "emzir", "tr", False),  # no nominaliser after a tense
        ("emzirme", "emzir", "tr", True),
        ("sisligi", "sis", "tr", True),
        ("aciliyorsunuz", "acil", "tr", False),  # "acil" (urgent) is no verb root
        ("acilde", "acil", "tr", True),
        ("izleri", "iz", "tr", True),  # a short word: plural, possessive, case
        ("izlenir", "iz", "tr", False),  # "is watched", not "scars"
        ("elma", "el", "tr", False),  # "apple", not "hand"
        ("gozluk", "goz", "tr", False),  # "glasses": no derivation on a short word
        ("sistem", "sis*", "tr", False),  # a stem takes endings, not any letters
        ("sisti", "sis*", "tr", True),
        ("iceyim", "ice", "tr", False),  # "ice" is English in the articles
        # English
        ("injections", "injection", "en", True),
        ("swimming", "swim", "en", True),
        ("jogging", "jog*", "en", True),
        ("bruising", "bruise", "en", True),
        ("bruisful", "bruise", "en", False),
        ("bodies", "body", "en", True),
        ("bodia", "body", "en", False),
        ("facebook", "face", "en", False),
        ("spotify", "spot", "en", False),
        ("gyms", "gym", "en", True),
        ("gymnast", "gym", "en", False),
        ("exercise", "exercis", "en", True),  # a curated stem of six letters or more
        ("mesotheraphy", "mesotherapy", "en", True),  # one typo from seven letters
        ("handle", "hand", "en", False),
        ("handle", "hand", None, True),  # either language's endings: Turkish "hand-le"
    ],
)
def test_domain_words_match_whole_words_and_grammatical_endings(token, word, lang, matches):
    foreign = frozenset({"ice"}) if lang == "tr" else frozenset()
    assert strict_matches(token, word, True, lang, foreign, VERBS) is matches


def test_endings_are_bounded():
    assert tr_endings("lik" * MAX_ENDINGS, "s", None)
    assert not tr_endings("lik" * (MAX_ENDINGS + 1), "s", None)
    assert not tr_endings("lik", "s", INFLECTION)  # no derivation on a short word


@pytest.fixture(scope="module")
def engine(k):
    return engine_for(k, load_articles(k))


def test_everyday_activities_count_only_in_a_question_about_doing_them(engine):
    assert engine.domain_terms(engine.words("How do I learn to swim?"), "en") == set()
    assert engine.domain_terms(engine.words("when can I go swimming"), "en") == {"concept:sport"}
    assert engine.domain_terms(engine.words("yüzmeyi nasıl öğrenirim"), "tr") == set()
    assert engine.domain_terms(engine.words("hamama gidebilir miyim"), "tr") == {"concept:heat"}


def test_the_gate_and_cues_work_without_a_detected_language(engine):
    assert engine.is_offtopic(engine.words("What's the weather like tomorrow?"))
    assert engine.is_offtopic(engine.words("How much is a flight to London?"))
    assert not engine.is_offtopic(engine.words("When can I wear makeup again?"))
    assert not engine.is_offtopic(engine.words("Can I fly a week after my mesotherapy session?"))


@pytest.mark.parametrize(
    "question",
    [
        "hafta sonu hangi diziyi izlemeliyim",  # "izle-" starts like "izlenim"
        "araba tamiri yapıyor musunuz",  # "yapıyor" is a typo away from "yapılır"
        "hangi telefonu almalıyım",
        "kalem nasıl açılır",  # "açılır" is not "acil" (urgent)
        "sabah koşusu için ipuçları",  # a lay word, not a question about doing it
        "What's the best red wine?",
        "How much is a flight to London?",  # a price, but of something else
        "implant diş fiyatları ne kadar",  # another procedure
        "radiance",  # a domain word the articles do not use
    ],
)
def test_questions_that_only_look_like_known_ones_are_refused(k, question):
    out = ask(question, k=k)
    assert out["kind"] == "refuse" and out["sources"] == []


@pytest.mark.parametrize(
    "question",
    [
        "kızarıklığım ne zaman geçer",
        "emziriyorum mezoterapi olur mu",
        "havuza ne zaman girebilirim",
        "enjeksiyondan sonra yüzümü yıkayabilir miyim",
        "Can I put on sunscreen after the injections?",
        "Is jogging ok the next day?",
        "Do I have to keep coming back forever?",
    ],
)
def test_inflected_and_lay_domain_words_are_still_answered(k, question):
    assert ask(question, k=k)["kind"] == "answer"
