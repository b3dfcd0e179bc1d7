"""The staff menu: each section once, the current one marked."""

import re

import pytest
from django.urls import reverse


def nav(html: str) -> str:
    return re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("products:list", "Products"),
        ("products:low_stock", "Low stock"),
        ("education:list", "Education"),
        ("patients:list", "Patients"),
    ],
)
def test_each_section_is_in_the_menu_once_and_the_current_one_is_marked(
    login, alice, url_name, current
):
    menu = nav(login(alice).get(reverse(url_name)).content.decode())
    for label in ("Patients", "Products", "Education"):
        assert menu.count(f">{label}</a>") == 1, label
    assert re.search(rf'aria-current="page">{current}</a>', menu)
    assert menu.count('aria-current="page"') == 1
