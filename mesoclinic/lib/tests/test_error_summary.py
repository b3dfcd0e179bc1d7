"""The error summary at the top of long forms: every field in error named and linked to
an element that exists on the page; focusable and announced."""

import re

import pytest
from django import forms
from django.urls import reverse

from mesoclinic.lib.forms import error_summary


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )
    age = forms.IntegerField(label="Age", required=False)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def test_the_summary_names_each_field_in_error_and_links_to_it():
    items = error_summary(_Form({"age": "old"}))
    assert [(i["label"], i["anchor"]) for i in items] == [
        ("Name", "id_name"),
        ("Colour", "id_colour_0"),  # a radio group: its first choice
        ("Age", "id_age"),
        ("", ""),  # the form as a whole: no link
    ]
    assert items[-1]["errors"] == ["The whole form is wrong."]
    assert error_summary(_Form()) == [] and error_summary(None) == []


def summary_links(html: str) -> list[str]:
    box = re.search(
        r'<div class="error-summary" role="alert" tabindex="-1" autofocus.*?</div>', html, re.S
    )
    assert box, "no focusable error summary"
    return re.findall(r'href="#([^"]+)"', box.group(0))


def assert_links_resolve(html: str, expected: set[str]) -> None:
    links = summary_links(html)
    assert expected <= set(links), links
    for anchor in links:
        assert f'id="{anchor}"' in html, anchor


@pytest.mark.django_db
def test_patient_registration_lists_its_errors_at_the_top(login, frank):
    page = login(frank).post(
        reverse("patients:register"), {"given_name": "", "birth_date": "1850-01-01"}
    )
    html = page.content.decode()
    assert_links_resolve(html, {"id_given_name", "id_family_name", "id_birth_date"})
    assert html.index('class="error-summary"') < html.index('name="given_name"')


@pytest.mark.django_db
def test_the_medical_history_links_to_each_unanswered_radio_group(login, nora, patient):
    page = login(nora).post(
        reverse("patients:intake", args=[patient.code]), {"fact_pregnant": "maybe"}
    )
    html = page.content.decode()
    links = summary_links(html)
    assert links and all(f'id="{a}"' in html for a in links)
