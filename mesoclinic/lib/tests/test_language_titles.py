"""The shared language, title and form helpers."""

import datetime as dt
import types

from django import forms
from django.test import RequestFactory
from django.utils import translation

from mesoclinic.lib import forms as lib_forms
from mesoclinic.lib.language import language, person_language, pick_language
from mesoclinic.lib.titles import (
    class_choices,
    class_label,
    protocol_choices,
    protocol_title,
    protocol_titles,
    symptom_choices,
    symptom_label,
)


def test_the_page_language_is_a_supported_two_letter_code():
    with translation.override("tr"):
        assert language() == "tr"
    with translation.override("en-gb"):
        assert language() == "en"
    with translation.override("de"):  # not offered by the site: English
        assert language() == "en"


def test_a_person_is_written_to_in_their_own_language_else_the_site_default(settings):
    settings.LANGUAGE_CODE = "tr"
    assert person_language(types.SimpleNamespace(language="en")) == "en"
    assert person_language(types.SimpleNamespace(language="")) == "tr"
    assert person_language(object()) == "tr"


def test_a_document_language_is_the_wanted_one_else_the_page_one_else_english():
    with translation.override("tr"):
        assert pick_language("en", ["en", "tr"]) == "en"
        assert pick_language("fr", ["en", "tr"]) == "tr"
        assert pick_language(None, ["en"]) == "en"


def test_titles_and_labels_follow_the_language_and_keep_unknown_ids(k):
    with translation.override("tr"):
        assert protocol_title("face-mesolift").startswith("Yüz mezolifti")
        assert protocol_titles()["face-mesolift"] == protocol_title("face-mesolift")
    assert protocol_title("face-mesolift", "en", k) == k.protocols["face-mesolift"].title["en"]
    assert protocol_title("retired-protocol") == "retired-protocol"
    assert dict(protocol_choices("en"))["hair"] == protocol_title("hair", "en")
    assert len(protocol_choices()) == len(k.protocols)
    some_class = next(iter(k.product_classes))
    assert class_label(some_class, "en") == k.product_classes[some_class].label["en"]
    assert class_label("no-such-class") == "no-such-class"
    assert dict(class_choices("en"))[some_class] == class_label(some_class, "en")
    symptom = next(iter(k.messages.symptoms))
    assert symptom_label(symptom, "en") == k.messages.symptoms[symptom]["en"]
    assert symptom_label("no-such-symptom") == "no-such-symptom"
    assert dict(symptom_choices("en"))[symptom] == symptom_label(symptom, "en")


def test_bound_gives_post_data_even_when_empty_and_nothing_on_get():
    rf = RequestFactory()
    assert lib_forms.bound(rf.get("/")) == (None,)
    assert lib_forms.bound(rf.get("/"), files=True) == (None, None)
    post = rf.post("/", {})
    assert lib_forms.bound(post) == (post.POST,)
    assert lib_forms.bound(post, files=True) == (post.POST, post.FILES)


def test_date_and_time_inputs_are_never_localised():
    class F(forms.Form):
        day = forms.DateField(widget=lib_forms.DateInput)
        hour = forms.TimeField(widget=lib_forms.TimeInput)
        at = forms.DateTimeField(widget=lib_forms.DateTimeInput)

    initial = {
        "day": dt.date(2026, 12, 1),
        "hour": dt.time(9, 5),
        "at": dt.datetime(2026, 12, 1, 9, 5),
    }
    with translation.override("tr"):
        html = str(F(initial=initial))
    assert 'type="date"' in html and 'value="2026-12-01"' in html
    assert 'type="time"' in html and 'value="09:05"' in html
    assert 'type="datetime-local"' in html and 'value="2026-12-01T09:05"' in html


def test_lib_imports_no_app():
    """lib sits below the apps: Django's utilities and the engine only, never a model."""
    import ast
    from pathlib import Path

    lib = Path(__file__).resolve().parents[1]
    for path in lib.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                inside = name.startswith("mesoclinic.")
                allowed = name.startswith(("mesoclinic.engine", "mesoclinic.lib"))
                assert not inside or allowed, f"{path.name} imports {name}"
                assert not name.endswith(".models") or name.startswith("django.")
