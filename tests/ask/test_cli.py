"""`mesoclinic ask` per ../shared/contracts/cli.md."""

import json
import subprocess
import sys

import pytest

from mesoclinic.cli.main import main


def run(capsys, *argv):
    code = main(["ask", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_it_answers_with_every_contract_field(capsys):
    code, out, err = run(capsys, "When can I wear makeup again?")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["kind"] == "answer" and doc["lang"] == "en" and "24 hours" in doc["answer"]
    assert doc["sources"] and set(doc["sources"][0]) >= {"article", "section", "cites"}


def test_lang_is_detected_or_given(capsys):
    assert json.loads(run(capsys, "Ne zaman makyaj yapabilirim?")[1])["lang"] == "tr"
    doc = json.loads(run(capsys, "When can I wear makeup again?", "--lang", "tr")[1])
    assert doc["lang"] == "tr" and "24 saat" in doc["answer"]


def test_urgent_and_refuse(capsys):
    assert json.loads(run(capsys, "my lips are swelling, I can't breathe")[1])["kind"] == "urgent"
    assert json.loads(run(capsys, "how much is botox")[1])["kind"] == "refuse"


def test_personalisation_options(capsys):
    doc = json.loads(run(capsys, "Can I wash my hair?", "--protocol", "hair", "--day", "1")[1])
    assert doc["section"] == "aftercare/hair-wash" and doc["aftercare_day"] == 1


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        ([""], "question"),
        (["hi", "--lang", "fr"], "--lang"),
        (["hi", "--protocol", "x"], "protocol"),
        ([], "question"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(capsys, argv, field):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("mesoclinic ask: ") and field in err


def test_the_installed_command_prints_only_json():
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "ask", "Kaç seans gerekiyor?"],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.decode())["lang"] == "tr"
