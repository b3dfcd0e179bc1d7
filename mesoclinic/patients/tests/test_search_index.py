"""Patient search through trigram indexes on PostgreSQL (migration patients/0005); the
same accent-insensitive matching on both databases (issue 18)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.support import personas


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_search_columns_have_trigram_indexes(db):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'patients_patient'"
        )
        defs = dict(cur.fetchall())
    assert "gin_trgm_ops" in defs["patients_patient_search_trgm"]
    assert "search_name" in defs["patients_patient_search_trgm"]
    assert "phone_digits" in defs["patients_patient_phone_trgm"]


def test_search_stays_accent_and_case_insensitive_inside_names(login, nora):
    act = personas.actor(nora)
    personas.make_patient(act, "Gökçe", "Öztürkoğlu")
    personas.make_patient(act, "Ali", "Veli")
    client = login(nora)
    for query in ("ozturk", "ÖZTÜRK", "turkog", "gokce oztu"):
        found = client.get(reverse("patients:list"), {"q": query}).context["patients"]
        assert [p.family_name for p in found] == ["Öztürkoğlu"], query
