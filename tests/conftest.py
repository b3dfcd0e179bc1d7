import copy
import datetime as dt

import pytest

from mesoclinic.engine.knowledge import load
from mesoclinic.testing import HEALTHY_ANSWERS

# A patient who answered every question with the low-risk answer.
HEALTHY = {"birth_date": "1990-05-01", **HEALTHY_ANSWERS}
DAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="session")
def k():
    return load()


def request_for(protocol="face-mesolift", date="2026-12-01", products=None, **patient):
    body = {"protocol": protocol, "date": date, "patient": {**copy.deepcopy(HEALTHY), **patient}}
    if products is not None:
        body["products"] = products
    return body


@pytest.fixture
def edited_knowledge(tmp_path):
    """Copy the packaged knowledge, apply `edit(files)` to the parsed YAML, load the copy."""
    import shutil

    import yaml

    from mesoclinic.engine.knowledge import DEFAULT_DIR

    def make(edit, load_it=True):
        target = tmp_path / "knowledge"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(DEFAULT_DIR, target)
        files = {
            p.relative_to(target).as_posix(): yaml.safe_load(p.read_text(encoding="utf-8"))
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
                    yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
                )
        return load(target) if load_it else target

    return make
