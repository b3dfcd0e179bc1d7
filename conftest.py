"""Fixtures for every test, under tests/ and under mesoclinic/*/tests/: the knowledge, an
edited copy of it, and the named personas (see tests/support/personas.py)."""

import copy

import pytest
import yaml
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

from mesoclinic.core.db import maintenance
from mesoclinic.engine.knowledge import load
from tests.support import personas

# libyaml's C loader and dumper: several times faster than the pure-Python ones.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
BROWSER_FIXTURES = frozenset({"browser", "page"})


def pytest_configure(config):
    """The local folders a running instance has (lib/localdirs.py): settings no longer
    create them on import, and WhiteNoise warns when the static root is missing."""
    from mesoclinic.lib import localdirs

    localdirs.ensure()


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is marked `browser` (`make test-fast` leaves them out)."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _flush_as_truncate():
    """Django empties a SQLite test database (after a transactional or browser test) with
    DELETE FROM, which the DELETE guards of sealed and append-only tables refuse; the flush
    runs in the "truncate" maintenance mode, SQLite's stand-in for PostgreSQL's TRUNCATE
    (mesoclinic/core/db.py). Nothing but this fixture uses that mode."""
    original = SQLiteOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with maintenance("truncate", using=self.connection.alias):
            return original(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLiteOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(scope="session")
def k():
    return load()


@pytest.fixture
def edited_knowledge(tmp_path):
    """Copy the packaged knowledge, apply `edit(files)` to the parsed YAML, load the copy."""
    import shutil

    from mesoclinic.engine.knowledge import DEFAULT_DIR

    def make(edit, load_it=True):
        target = tmp_path / "knowledge"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(DEFAULT_DIR, target)
        files = {
            p.relative_to(target).as_posix(): yaml.load(p.read_bytes(), Loader=LOADER)
            for p in target.rglob("*.yaml")
        }
        before = copy.deepcopy(files)
        edit(files)
        for rel, data in files.items():
            if data == before.get(rel):
                continue  # untouched files keep their bytes (and the version)
            path = target / rel
            if data is None:
                path.unlink()
            elif isinstance(data, str):
                path.write_text(data, encoding="utf-8")
            else:
                path.write_text(
                    yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False),
                    encoding="utf-8",
                )
        return load(target) if load_it else target

    return make


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request or a test that activated Turkish
    must not leak into the next test of the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the worker status is cached per process)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clinic_a(db):
    from mesoclinic.accounts.models import Clinic

    return Clinic.objects.create(name="Clinic A")


@pytest.fixture
def clinic_b(db):
    from mesoclinic.accounts.models import Clinic

    return Clinic.objects.create(name="Clinic B")


@pytest.fixture
def alice(clinic_a):
    return personas.make_user("alice", clinic_a, personas.ROLES["alice"])


@pytest.fixture
def nora(clinic_a):
    return personas.make_user("nora", clinic_a, personas.ROLES["nora"])


@pytest.fixture
def frank(clinic_a):
    return personas.make_user("frank", clinic_a, personas.ROLES["frank"])


@pytest.fixture
def adam(clinic_a):
    return personas.make_user("adam", clinic_a, personas.ROLES["adam"])


@pytest.fixture
def charlie(clinic_b):
    return personas.make_user("charlie", clinic_b, "physician")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def patient(alice):
    return personas.make_patient(personas.actor(alice))
