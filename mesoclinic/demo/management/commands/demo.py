"""Load a demo clinic: staff of every role and about 50 patients at different stages.

Idempotent: a second run only prints the credentials again. Refused when DEBUG is off
(it would create accounts with known passwords) unless --force.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mesoclinic.accounts.models import Clinic
from mesoclinic.demo.data import DEMO_CLINIC, STAFF, build


class Command(BaseCommand):
    help = "Load a demo clinic with staff accounts and about 50 patients (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument("--patients", type=int, default=50)
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the server listens (printed)"
        )

    def handle(self, *args, force=False, patients=50, url="http://127.0.0.1:8000", **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo data has known passwords: refused with DEBUG off (use --force on a test system)"
            )
        if not 0 <= patients <= 5000:
            raise CommandError("--patients must be between 0 and 5000")
        if not Clinic.objects.filter(name=DEMO_CLINIC).exists():
            with transaction.atomic():
                build(patients, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo clinic ready. Sign in at {url.rstrip('/')}/accounts/login with:"
            )
        )
        for username, password, role, _name in STAFF:
            self.stdout.write(f"  {role:<13} {username:<14} {password}")
        self.stdout.write(
            "  (another clinic's physician, who must see nothing of the demo clinic: dr.other / demo-other-2026)\n"
        )
