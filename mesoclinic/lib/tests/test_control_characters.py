"""Issue 15, inputs: every form's text fields refuse control characters (line breaks only
in multi-line boxes); a NUL in the patient search is a message, not a server error; a
patient's name is one line, and e-mail subjects are built as one line."""

import importlib
import pkgutil

import pytest
from django import forms as dj_forms

import mesoclinic
from mesoclinic.lib.forms import NoControlCharacters, TextGuard, clean_query


def _all_forms() -> list[type]:
    for info in pkgutil.iter_modules(mesoclinic.__path__):
        if not info.ispkg:
            continue
        package = importlib.import_module(f"mesoclinic.{info.name}")
        for mod in pkgutil.iter_modules(package.__path__):
            if mod.name.startswith(("forms", "views")):
                importlib.import_module(f"mesoclinic.{info.name}.{mod.name}")
    found, todo = [], [dj_forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            module = sub.__module__
            ours = module.startswith("mesoclinic.") and module != "mesoclinic.lib.forms"
            if ours and ".tests." not in module:
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_form_of_every_app_guards_its_text_fields():
    forms = _all_forms()
    assert len(forms) > 30
    unguarded = [f"{f.__module__}.{f.__qualname__}" for f in forms if not issubclass(f, TextGuard)]
    assert not unguarded, "forms without lib.forms.TextGuard: " + ", ".join(unguarded)


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1b[31mb", "a\x07", "\x7f", "a\x85b", "a\tb"])
def test_one_line_fields_refuse_control_characters(bad):
    with pytest.raises(dj_forms.ValidationError):
        NoControlCharacters()(bad)


@pytest.mark.parametrize("bad", ["Ay\nşe", "Ay\r\nşe", "Ay\u2028şe"])
def test_one_line_fields_refuse_line_breaks(bad):
    with pytest.raises(dj_forms.ValidationError, match="single line"):
        NoControlCharacters()(bad)


def test_notes_keep_line_breaks_and_tabs_but_not_other_controls():
    NoControlCharacters(multiline=True)("first line\r\nsecond\tline")
    with pytest.raises(dj_forms.ValidationError, match="U\\+0000"):
        NoControlCharacters(multiline=True)("note\x00")


def test_search_text_with_a_nul_gives_a_problem_not_a_crash():
    assert clean_query("  Ayşe ") == ("Ayşe", "")
    query, problem = clean_query("Ay\x00şe")
    assert query == "" and "control character" in problem
