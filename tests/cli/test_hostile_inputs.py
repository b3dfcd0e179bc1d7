"""Issue 15, inputs: every invalid input to an engine command exits 2 with one line on
stderr (never 1, never a traceback), and input is read with a size and a time limit."""

import io
import json
import subprocess
import sys
import time

import pytest
from PIL import Image

from mesoclinic.cli import engine_cli
from mesoclinic.cli.engine_cli import run


def call(capsys, *args):
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--protocol", "face-mesolift", "--start", "9999-12-31"),
        ("plan", "--protocol", "face-mesolift", "--start", "0001-01-01"),
        ("aftercare", "--protocol", "face-mesolift", "--session-end", "9999-12-31T23:00:00+00:00"),
    ],
)
def test_dates_far_outside_any_clinic_exit_2_naming_the_field(capsys, args):
    code, out, err = call(capsys, *args)
    assert code == 2 and out == ""
    assert args[3] in one_line(err)


@pytest.mark.parametrize(
    "where",
    [
        {"date": "9999-12-31"},
        {"patient": {"birth_date": "9999-12-31"}},
        {"patient": {"last_aspirin_or_nsaid": "9999-12-30"}},
        {"last_sessions": {"lipolytic": "9999-12-31"}},
    ],
)
def test_screen_dates_in_year_9999_exit_2(capsys, tmp_path, where):
    doc = {"protocol": "face-mesolift", "date": "2026-12-01", "patient": {}}
    for key, value in where.items():
        doc[key] = {**doc[key], **value} if isinstance(value, dict) and key in doc else value
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    code, out, err = call(capsys, "screen", "--input", str(path))
    assert code == 2 and out == ""
    assert "9999" in one_line(err)


def _png(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (180, 140, 120)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("size", [(1, 300), (300, 1), (3000, 1), (1, 1), (2000, 20)])
def test_photo_measure_refuses_slivers_with_exit_2(capsys, tmp_path, size):
    path = tmp_path / "sliver.png"
    path.write_bytes(_png(*size))
    code, out, err = call(capsys, "photo-measure", str(path))
    assert code == 2 and out == ""
    assert "IMAGE" in one_line(err)


@pytest.mark.parametrize("arg", ["face\x00mesolift", "face\x1bmesolift", "face\nmesolift"])
def test_control_characters_in_arguments_exit_2(capsys, arg):
    code, out, err = call(capsys, "plan", "--protocol", arg, "--start", "2026-12-01")
    assert code == 2 and out == ""
    assert "control character" in one_line(err)


def test_ask_refuses_a_nul_in_the_question(capsys):
    code, out, err = call(capsys, "ask", "is it\x00 safe?")
    assert code == 2 and out == ""
    one_line(err)


def test_input_from_dev_zero_ends_fast_with_exit_2():
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "screen", "--input", "/dev/zero"],
        capture_output=True,
        timeout=60,
    )
    assert time.monotonic() - start < 20
    assert proc.returncode == 2
    assert "--input" in one_line(proc.stderr.decode())


def test_input_larger_than_the_limit_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_cli, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"protocol": "face-mesolift", "pad": "x" * 2000}))
    code, out, err = call(capsys, "screen", "--input", str(path))
    assert code == 2 and "larger than" in one_line(err)


def test_stdin_that_never_ends_is_cut_by_the_time_limit():
    """A writer that keeps the pipe open but sends nothing: the command gives up."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mesoclinic", "triage", "--input", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**__import__("os").environ, "MESOCLINIC_INPUT_SECONDS": "1"},
    )
    try:
        proc.stdin.write(b'{"protocol": ')
        proc.stdin.flush()
        proc.wait(timeout=30)  # stdin stays open: only the time limit can end the read
        err = proc.stderr.read()
    finally:
        proc.kill()
        proc.stdin.close()
    assert proc.returncode == 2
    assert "--input" in one_line(err.decode())
    assert time.monotonic() - start < 25


def test_django_commands_refuse_control_characters_too():
    proc = subprocess.run(
        [sys.executable, "-m", "mesoclinic", "check", "--tag", "x\x1by"],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "control character" in one_line(proc.stderr.decode())
