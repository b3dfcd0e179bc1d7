"""Back up, wipe, restore: every record and every file comes back identical (on the database
the suite runs on: SQLite, and PostgreSQL in CI's second run). A damaged archive or a wrong
key is refused before anything changes."""

import hashlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from mesoclinic.core import backup
from tests.support import personas

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, str]:
    """Every row of every model, serialised in primary-key order."""
    rows = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows[model._meta.label] = serializers.serialize(
            "json", model._default_manager.order_by("pk")
        )
    return rows


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def clinic_data(settings, tmp_path, clinic_a):
    settings.PHOTOS_ROOT = tmp_path / "photos"
    settings.FOLLOWUP_FILES_ROOT = tmp_path / "followup"
    alice = personas.make_user("alice", clinic_a, personas.ROLES["alice"])
    act = personas.actor(alice)
    for n in range(3):
        personas.make_patient(act, f"Ayşe{n}", f"Yılmaz{n}")
    (settings.PHOTOS_ROOT / "p1").mkdir(parents=True)
    (settings.PHOTOS_ROOT / "p1" / "front.jpg").write_bytes(b"\xff\xd8photo" * 1000)
    (settings.FOLLOWUP_FILES_ROOT / "r1").mkdir(parents=True)
    (settings.FOLLOWUP_FILES_ROOT / "r1" / "rash.png").write_bytes(b"\x89PNG" * 50)
    return settings


def _wipe(settings):
    import shutil

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.PHOTOS_ROOT)
    shutil.rmtree(settings.FOLLOWUP_FILES_ROOT)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_backup_wipe_restore_gives_back_every_record_and_file(clinic_data, tmp_path, encrypted):
    settings = clinic_data
    key = backup.new_key() if encrypted else None
    before = _snapshot()
    files_before = (_files(settings.PHOTOS_ROOT), _files(settings.FOLLOWUP_FILES_ROOT))
    lines = []
    archive = tmp_path / "out" / "backup.tar.gz"
    manifest = backup.create(archive, key=key, progress=lines.append)
    assert any(line.startswith("archived") for line in lines)  # progress on the terminal
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert "files/photos/p1/front.jpg" in manifest["members"]
    if encrypted:
        assert archive.read_bytes().startswith(backup.MAGIC)

    _wipe(settings)
    assert _snapshot() != before

    backup.restore(archive, key=key, progress=lines.append)
    assert _snapshot() == before
    assert (_files(settings.PHOTOS_ROOT), _files(settings.FOLLOWUP_FILES_ROOT)) == files_before


def test_a_damaged_archive_is_refused_and_nothing_changes(clinic_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    backup.create(archive, progress=lambda _: None)
    good = archive.read_bytes()
    before = _snapshot()
    for where in (0.1, 0.3, 0.5, 0.7, 0.95):  # the compressed stream, then a checksum, fail
        data = bytearray(good)
        data[int(len(data) * where)] ^= 0xFF
        archive.write_bytes(bytes(data))
        with pytest.raises(backup.BackupError):
            backup.restore(archive, progress=lambda _: None)
    assert _snapshot() == before
    assert (clinic_data.PHOTOS_ROOT / "p1" / "front.jpg").exists()


def test_a_wrong_key_or_a_missing_key_is_refused(clinic_data, tmp_path):
    archive = tmp_path / "b.enc"
    backup.create(archive, key=backup.new_key(), progress=lambda _: None)
    with pytest.raises(backup.BackupError, match="key is wrong"):
        backup.restore(archive, key=backup.new_key(), progress=lambda _: None)
    with pytest.raises(backup.BackupError, match="encrypted"):
        backup.restore(archive, progress=lambda _: None)
    with pytest.raises(backup.BackupError, match="not valid"):
        backup.restore(archive, key="not-a-key", progress=lambda _: None)


def test_the_commands_say_what_is_wrong_and_exit_2(clinic_data, tmp_path, monkeypatch):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "nothing.tar.gz"), "--yes")
    assert refused.value.returncode == 2 and "is not a file" in str(refused.value)
    out, err = io.StringIO(), io.StringIO()
    archive = tmp_path / "cli.tar.gz"
    call_command("backup", "--output", str(archive), stdout=out, stderr=err)
    assert "backup written" in err.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--output", str(archive), stderr=io.StringIO())
    call_command("restore", str(archive), "--check", stdout=out, stderr=err)
    assert "intact" in out.getvalue()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stderr=io.StringIO())


def test_an_archive_with_a_path_outside_is_refused(tmp_path):
    import tarfile

    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "x"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../../etc/evil")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(backup.BackupError, match="unsafe"):
        backup.verify(evil, workdir=work, progress=lambda _: None)
