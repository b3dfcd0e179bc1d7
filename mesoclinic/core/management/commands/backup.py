"""`mesoclinic backup`: the database and every clinical file in one archive, with checksums,
optionally encrypted. See mesoclinic/core/backup.py and README "Backups"."""

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mesoclinic.core import backup


def read_key(key_file: str | None) -> str | None:
    """The key from --key-file, else from BACKUP_KEY; None for an unencrypted archive."""
    if key_file:
        try:
            return Path(key_file).read_text().strip()
        except OSError as exc:
            raise CommandError(f"--key-file {key_file}: {exc.strerror}", returncode=2) from None
    return os.getenv("BACKUP_KEY") or None


class Command(BaseCommand):
    help = "Back up the database and the clinical files into one archive (see README: Backups)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="the archive to write (default: BACKUP_DIR/mesoclinic-YYYYmmdd-HHMMSS.tar.gz)",
        )
        parser.add_argument("--key-file", help="encrypt with the key in this file (or BACKUP_KEY)")
        parser.add_argument(
            "--new-key", action="store_true", help="print a new encryption key and exit"
        )

    def handle(self, *args, output, key_file, new_key, **options):
        if new_key:
            self.stdout.write(backup.new_key())
            return
        key = read_key(key_file)
        if output is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%SZ")
            suffix = ".tar.gz.enc" if key else ".tar.gz"
            output = Path(settings.BACKUP_DIR) / f"mesoclinic-{stamp}{suffix}"
        try:
            backup.create(Path(output), key=key, progress=self._progress)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _progress(self, line: str) -> None:
        self.stderr.write(f"backup: {line}")
