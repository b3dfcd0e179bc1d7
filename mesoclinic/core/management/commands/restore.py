"""`mesoclinic restore ARCHIVE`: check a backup completely, then replace this instance's
database and clinical files with it. Stop the web server and the worker first."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mesoclinic.core import backup

from .backup import read_key


class Command(BaseCommand):
    help = "Restore a backup made by `mesoclinic backup` (replaces the database and files)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--key-file", help="the key the backup was encrypted with")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the current data"
        )
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive; change nothing"
        )

    def handle(self, *args, archive, key_file, yes, check, **options):
        key = read_key(key_file)
        try:
            if check:
                with tempfile.TemporaryDirectory() as tmp:
                    manifest, _root = backup.verify(
                        Path(archive), key=key, workdir=Path(tmp), progress=self._progress
                    )
                self.stdout.write(
                    f"{archive}: intact, {len(manifest['members'])} members, "
                    f"made {manifest['created_at']}"
                )
                return
            if (
                not yes
                and input(
                    "This replaces the current database and files with the backup. Type 'yes': "
                ).strip()
                != "yes"
            ):
                raise CommandError("Restore cancelled.", returncode=2)
            backup.restore(Path(archive), key=key, progress=self._progress)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _progress(self, line: str) -> None:
        self.stderr.write(f"restore: {line}")
