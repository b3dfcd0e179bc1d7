"""`mesoclinic photo-measure` per ../shared/contracts/cli.md."""

import io
import json
import subprocess
import sys

import pytest
from PIL import Image

from mesoclinic.cli.engine_cli import run
from mesoclinic.cli.main import ENGINE_COMMANDS

from .conftest import face

CONTRACT_QUALITY = {"sharp", "exposure_ok", "pose_ok"}
CONTRACT_MEASURES = {"pigmented_area_pct", "spot_count", "mean_a_star", "erythema_index", "ita_deg"}


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "face.jpg"
    Image.fromarray(face(256)).save(path, "JPEG", quality=92)
    return path


def _run(capsys, *argv):
    code = run(["photo-measure", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_contract_fields_with_landmarks(capsys, photo, fake_landmarks):
    code, out, err = _run(capsys, photo)
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert {"view", "face_found", "quality", "regions", "unavailable", "warnings"} <= set(doc)
    assert doc["view"] == "front" and doc["face_found"] is True
    assert set(doc["quality"]) >= CONTRACT_QUALITY
    named = {"forehead", "left_cheek", "right_cheek", "periorbital", "nasolabial", "perioral",
             "jawline"}  # fmt: skip
    missing = {u["region"]: u["reason"] for u in doc["unavailable"]}
    assert named <= set(doc["regions"]) | set(missing)
    assert missing == {"forehead": "mostly hidden (hair, shadow or glare)"}
    for values in doc["regions"].values():
        assert set(values) >= CONTRACT_MEASURES
        assert isinstance(values["spot_count"], int)


def test_without_landmarks_lists_the_regions_it_cannot_measure(capsys, photo, no_landmarks):
    code, out, _ = _run(capsys, photo, "--view", "front")
    doc = json.loads(out)
    assert code == 0 and doc["face_found"] is True
    missing = {u["region"] for u in doc["unavailable"]}
    assert {"forehead", "left_cheek", "jawline"} <= missing
    assert all(u["reason"] for u in doc["unavailable"])


def test_views_stdin_and_chart(capsys, photo, monkeypatch, no_landmarks):
    code, out, _ = _run(capsys, photo, "--view", "vertex")
    assert code == 0 and json.loads(out)["view"] == "vertex"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(photo.read_bytes())))
    code, out, _ = _run(capsys, "-", "--view", "body")
    assert code == 0 and "body" in json.loads(out)["regions"]
    code, out, err = _run(capsys, photo, "--chart", "0,0,400,0,400,300,0,300")
    assert code == 2 and "--chart" in err and out == ""


@pytest.mark.parametrize(
    ("content", "args", "needle"),
    [
        (b"just text", [], "not a JPEG, PNG or WebP"),
        (b"\xff\xd8\xff\xe0 broken", [], "cannot be read"),
        (None, [], "cannot read"),
        ("photo", ["--view", "profile"], "--view"),
        ("photo", ["--chart", "1,2,3"], "--chart"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, photo, content, args, needle):
    path = tmp_path / "input.jpg"
    if content == "photo":
        path = photo
    elif content is not None:
        path.write_bytes(content)
    code, out, err = _run(capsys, path, *args)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_command_is_an_engine_command(photo):
    assert "photo-measure" in ENGINE_COMMANDS
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "photo-measure", str(photo), "--view", "front"],
        capture_output=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["view"] == "front"
