import pytest
from django.core.management import call_command
from django.test import Client

from mesoclinic.core.apps import check_knowledge


def test_home_lists_the_protocols_in_english_and_turkish():
    page = Client().get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Face mesolift" in html
    assert "Content-Security-Policy" in page.headers
    tr = Client(headers={"accept-language": "tr"}).get("/").content.decode()
    assert "Yüz mezolifti" in tr


@pytest.mark.django_db
def test_healthz_reports_the_knowledge_version():
    from mesoclinic.engine.knowledge import load

    doc = Client().get("/healthz").json()
    assert doc["knowledge_version"] == load().version
    assert doc["database"] == "ok" and {"worker", "outbox"} <= set(doc)


@pytest.mark.django_db
def test_system_check_accepts_the_packaged_knowledge():
    assert check_knowledge() == []
    call_command("check")


def test_system_check_names_a_broken_file(monkeypatch, edited_knowledge):
    target = edited_knowledge(
        lambda f: f["rules.yaml"]["rules"][0].update(decision="maybe"), load_it=False
    )
    import mesoclinic.engine.knowledge as knowledge

    monkeypatch.setattr(knowledge, "_default", lambda: knowledge._load(target))
    errors = check_knowledge()
    assert errors[0].id == "mesoclinic.core.E001"
    assert "rules.yaml" in errors[0].msg and "$.rules[0].decision" in errors[0].msg


def test_system_check_names_missing_protocols(monkeypatch, edited_knowledge):
    def drop_hands(files):
        files["protocols/hands.yaml"] = None
        files["consent.yaml"]["alternatives"].pop("hands", None)

    target = edited_knowledge(drop_hands, load_it=False)
    import mesoclinic.engine.knowledge as knowledge

    monkeypatch.setattr(knowledge, "_default", lambda: knowledge._load(target))
    errors = check_knowledge()
    assert errors[0].id == "mesoclinic.core.E002" and "hands" in errors[0].msg


@pytest.mark.parametrize(
    ("name", "value", "helper", "needle"),
    [
        ("X_BOOL", "yes", "envbool", "use 'True' or 'False'"),
        ("X_INT", "ten", "envint", "expected an integer"),
    ],
)
def test_settings_helpers_fail_loudly(monkeypatch, name, value, helper, needle):
    from django.core.exceptions import ImproperlyConfigured

    from mesoclinic import settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=needle):
        getattr(settings, helper)(name, "0")


def test_secret_from_file(monkeypatch, tmp_path):
    from mesoclinic import settings

    secret = tmp_path / "s"
    secret.write_text("abc\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert settings.envsecret("X_SECRET", "dev") == "abc"
    assert settings.envlist("X_LIST_UNSET", "a, b,,c") == ["a", "b", "c"]
