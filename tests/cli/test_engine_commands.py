"""The `mesoclinic` engine commands, per ../shared/contracts/cli.md."""

import json
import subprocess
import sys

import pytest

from mesoclinic.cli.engine_cli import run
from mesoclinic.engine.knowledge import PROTOCOL_IDS
from tests.support.engine import request_for


def cli(*args, stdin=None, env=None):
    """Run the real console entry point in a child process."""
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
    )
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def call(capsys, *args):
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_protocols_lists_all_eleven_with_titles(capsys):
    code, out, _ = call(capsys, "protocols")
    doc = json.loads(out)
    assert code == 0
    assert [p["id"] for p in doc["protocols"]] == list(PROTOCOL_IDS)
    assert all(p["title"] for p in doc["protocols"])


def test_screen_reads_a_file_and_prints_one_json_document(tmp_path):
    path = tmp_path / "req.json"
    path.write_text(
        json.dumps(
            request_for(
                products=[{"name": "HA", "ingredients": ["lidocaine"]}], allergies=["lignocaine"]
            )
        )
    )
    code, out, err = cli("screen", "--input", str(path))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["decision"] == "contraindicated"
    assert doc["findings"][0]["rule"] == "allergy-ingredient"
    assert doc["findings"][0]["sources"]
    assert err == ""


def test_screen_reads_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(request_for()).encode()))
    )
    code, out, _ = call(capsys, "screen", "--input", "-")
    assert code == 0 and json.loads(out)["decision"] == "eligible"


def _screen(capsys, tmp_path, body, *extra):
    path = tmp_path / "req.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    code, out, err = call(capsys, "screen", "--input", str(path), *extra)
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    ("allergy", "ingredient"),
    [
        ("EMLA", "prilocaine"),  # a brand of the lidocaine/prilocaine cream
        ("Novocain", "procaine"),  # the old name of procaine
        ("lidocain", "lidocaine"),  # a misspelling
        ("numbing cream", "articaine"),  # the class in a patient's words
    ],
)
def test_screen_matches_allergy_brands_old_names_misspellings_and_classes(
    capsys, tmp_path, allergy, ingredient
):
    body = request_for(products=[{"name": "Mix", "ingredients": [ingredient]}], allergies=[allergy])
    doc = _screen(capsys, tmp_path, body)
    assert doc["decision"] == "contraindicated"
    assert doc["findings"][0]["rule"] == "allergy-ingredient"


def test_screen_a_local_anaesthetic_allergy_without_products(capsys, tmp_path):
    doc = _screen(capsys, tmp_path, request_for(allergies=["Xylocaine"]))
    assert doc["decision"] == "review"
    finding = doc["findings"][0]
    assert finding["rule"] == "allergy-local-anaesthetic-unlisted"
    assert finding["sources"] and "art-facial-spot" in finding["source_ids"]
    doc = _screen(capsys, tmp_path, request_for(allergies=["Novocain"]), "--lang", "tr")
    assert "uyuşturma kremi" in doc["findings"][0]["reason"]


def test_screen_implanted_devices_by_name(capsys, tmp_path):
    body = request_for(protocol="needle-free", implanted_devices=["ICD"])
    del body["patient"]["implanted_electronic_device"]
    doc = _screen(capsys, tmp_path, body)
    assert doc["decision"] == "contraindicated"
    assert doc["findings"][0]["facts"] == ["implanted_electronic_device", "implanted_devices"]
    body = request_for(protocol="needle-free", implanted_devices=["titanium plate"])
    assert _screen(capsys, tmp_path, body)["decision"] == "review"


def test_screen_timing_facts(capsys, tmp_path):
    body = request_for(last_filler_or_other_injectable="2026-11-20", planned_sun_exposure=None)
    doc = _screen(capsys, tmp_path, body)
    assert doc["decision"] == "defer" and doc["defer_until"] == "2026-12-04"
    body = request_for(planned_sun_exposure="2026-12-08")
    doc = _screen(capsys, tmp_path, body)
    assert doc["decision"] == "defer" and doc["defer_until"] is None
    assert doc["findings"][0]["rule"] == "planned-sun"
    # the contract's own example, without the timing facts: eligible, naming what was not asked
    body = request_for()
    for fact in ("last_filler_or_other_injectable", "planned_sun_exposure", "implanted_devices"):
        del body["patient"][fact]
    doc = _screen(capsys, tmp_path, body)
    assert doc["decision"] == "eligible" and doc["defer_until"] is None
    assert [(f["rule"], f["decision"]) for f in doc["findings"]] == [
        ("not-asked-last_filler_or_other_injectable", "eligible"),
        ("not-asked-planned_sun_exposure", "eligible"),
    ]
    assert set(doc) >= {"decision", "defer_until", "findings", "protocol", "knowledge_version"}


@pytest.mark.parametrize("protocol", PROTOCOL_IDS)
def test_all_protocols_answer_all_four_engine_commands(capsys, tmp_path, protocol):
    req = tmp_path / "req.json"
    req.write_text(json.dumps(request_for(protocol=protocol)))
    code, out, _ = call(capsys, "screen", "--input", str(req))
    assert code == 0 and json.loads(out)["protocol"] == protocol
    code, out, _ = call(capsys, "plan", "--protocol", protocol, "--start", "2026-12-01")
    plan = json.loads(out)
    assert (
        code == 0
        and plan["sessions"][0]["target"] == "2026-12-01"
        and plan["maintenance"]["first_target"]
    )
    code, out, _ = call(
        capsys, "aftercare", "--protocol", protocol, "--session-end", "2026-12-01T10:30:00+01:00"
    )
    assert code == 0 and json.loads(out)["items"]
    tri = tmp_path / "tri.json"
    tri.write_text(
        json.dumps(
            {
                "protocol": protocol,
                "hours_since_session": 30,
                "severity": "mild",
                "fever": False,
                "symptoms": ["redness"],
            }
        )
    )
    code, out, _ = call(capsys, "triage", "--input", str(tri))
    assert code == 0 and json.loads(out)["level"] in ("expected", "contact_clinic")


def test_plan_with_sessions_and_ingredients(capsys):
    code, out, _ = call(
        capsys,
        "plan",
        "--protocol",
        "face-mesolift",
        "--start",
        "2026-12-01",
        "--sessions",
        "5",
        "--ingredient",
        "sodium deoxycholate",
    )
    doc = json.loads(out)
    assert code == 0 and len(doc["sessions"]) == 5
    assert doc["sessions"][1]["earliest"] == "2026-12-29"


def test_turkish_output(capsys):
    code, out, _ = call(
        capsys,
        "aftercare",
        "--protocol",
        "face-mesolift",
        "--session-end",
        "2026-12-01T10:30:00Z",
        "--lang",
        "tr",
    )
    assert code == 0 and "saat" in json.loads(out)["items"][0]["text"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["plan", "--protocol", "botox", "--start", "2026-12-01"],
            "protocol: unknown protocol 'botox'",
        ),
        (
            ["plan", "--protocol", "face-mesolift", "--start", "01/12/2026"],
            "--start: '01/12/2026' is not a date",
        ),
        (
            ["plan", "--protocol", "face-mesolift", "--start", "2026-12-01", "--sessions", "9"],
            "sessions: 9 is outside 4-6",
        ),
        (
            ["plan", "--protocol", "face-mesolift", "--start", "2026-12-01", "--sessions", "x"],
            "'x' is not a whole number",
        ),
        (["plan", "--protocol", "face-mesolift"], "the following arguments are required: --start"),
        (
            ["aftercare", "--protocol", "face-mesolift", "--session-end", "2026-12-01T10:30"],
            "--session-end: '2026-12-01T10:30' has no UTC offset",
        ),
        (["screen", "--input", "/nonexistent.json"], "--input: cannot read '/nonexistent.json'"),
        (["screen"], "required: --input"),
        (["triage", "--input", "/nonexistent.json"], "--input: cannot read"),
        (["protocols", "--lang", "de"], "invalid choice: 'de'"),
        ([], "required: command"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(capsys, args, needle):
    code, out, err = call(capsys, *args)
    assert code == 2
    assert out == ""
    assert needle in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"{oops", "input: not valid JSON"),
        (
            json.dumps(request_for(pregnant="no")).encode(),
            "patient.pregnant: expected `bool`, got `str`",
        ),
        (json.dumps(request_for(diabetes="type2")).encode(), "patient.diabetes"),
        (json.dumps(request_for(date="2026-13-01")).encode(), "date:"),
        (json.dumps(request_for(protocol="botox")).encode(), "protocol: unknown protocol"),
        (json.dumps({**request_for(), "extra": 1}).encode(), "extra: unknown field"),
        (
            json.dumps(request_for(planned_sun_exposure="July")).encode(),
            "patient.planned_sun_exposure:",
        ),
        (
            json.dumps(request_for(last_filler_or_other_injectable=True)).encode(),
            "patient.last_filler_or_other_injectable:",
        ),
        (
            json.dumps(request_for(implanted_devices="pacemaker")).encode(),
            "patient.implanted_devices: expected `array`",
        ),
    ],
)
def test_bad_screen_input_through_the_real_command(body, needle):
    code, out, err = cli("screen", "--input", "-", stdin=body)
    assert code == 2, err
    assert out == ""
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_triage_input(tmp_path, capsys):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            {
                "protocol": "face-mesolift",
                "hours_since_session": 3,
                "severity": "mild",
                "fever": False,
                "symptoms": ["sneezing"],
            }
        )
    )
    code, _, err = call(capsys, "triage", "--input", str(path))
    assert code == 2 and "symptoms[0]" in err


def test_broken_knowledge_fails_loudly_without_a_traceback(edited_knowledge):
    target = edited_knowledge(
        lambda f: f["protocols/face-mesolift.yaml"].update(region="moon"), load_it=False
    )
    import os

    code, out, err = cli("protocols", env={**os.environ, "MESOCLINIC_KNOWLEDGE_DIR": str(target)})
    assert code == 1 and out == ""
    assert "protocols/face-mesolift.yaml" in err and "$.region" in err
    assert "Traceback" not in err


def test_an_internal_error_is_one_line(capsys, monkeypatch):
    import mesoclinic.cli.engine_cli as engine_cli

    def boom(_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine_cli, "cmd_protocols", boom)
    code, _, err = call(capsys, "protocols")
    assert (
        code == 1
        and err.strip() == "mesoclinic protocols: internal error: RuntimeError: disk on fire"
    )


def test_django_commands_still_work_through_the_same_script():
    code, out, err = cli("help")
    assert code == 0, err
    assert "migrate" in out


def test_knowledge_doc_is_current(capsys):
    code, _, err = call(capsys, "knowledge-doc", "--check")
    assert code == 0, err


def test_knowledge_doc_writes_and_detects_staleness(capsys, tmp_path):
    target = tmp_path / "k.md"
    assert call(capsys, "knowledge-doc", "--output", str(target))[0] == 0
    assert "## Sources" in target.read_text()
    target.write_text("old")
    code, _, err = call(capsys, "knowledge-doc", "--check", "--output", str(target))
    assert code == 1 and "stale" in err
