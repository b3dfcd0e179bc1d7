"""`mesoclinic createclinic`: a fresh installation's clinic and first clinic admin, from
flags (scripted) or prompts (interactive). Bad input exits 2 with one line naming it."""

import datetime as dt
import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mesoclinic.staff import access, actions

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def parse_hours(text: str) -> list[tuple[int, dt.time, dt.time]]:
    """ "mon-fri 09:00-18:00, sat 10:00-14:00" -> [(weekday, opens, closes), ...]."""
    hours = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            days, times = part.split()
            first, _, last = days.lower().partition("-")
            start, end = (dt.time.fromisoformat(t) for t in times.split("-"))
            a, b = DAYS[first], DAYS[last or first]
        except (ValueError, KeyError):
            raise CommandError(
                f"--hours: {part!r} is not like 'mon-fri 09:00-18:00'", returncode=2
            ) from None
        if end <= start:
            raise CommandError(f"--hours: {part!r} closes before it opens", returncode=2)
        hours += [(day, start, end) for day in range(a, b + 1)]
    return hours


class Command(BaseCommand):
    help = "Create this installation's clinic and its first clinic admin (once)."

    def add_arguments(self, parser):
        parser.add_argument("--name", help="the clinic's name")
        parser.add_argument("--timezone", help="IANA time zone, e.g. Europe/Istanbul")
        parser.add_argument("--address", default=None)
        parser.add_argument("--phone", default=None)
        parser.add_argument("--languages", default=None, help="comma-separated: en,tr")
        parser.add_argument("--hours", default=None, help="e.g. 'mon-fri 09:00-18:00'")
        parser.add_argument("--admin-username")
        parser.add_argument("--admin-email", default=None)
        parser.add_argument(
            "--admin-password-file",
            help="read the admin's password from this file (else ADMIN_PASSWORD, else a prompt)",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="never prompt: a missing value is an error"
        )

    def handle(self, *args, **o):
        if not access.needs_setup():
            raise CommandError("this installation already has a clinic", returncode=2)
        ask = not o["no_input"]

        def value(key: str, prompt: str, default: str | None = None, required=True) -> str:
            given = o.get(key)
            if given is None and ask:
                suffix = f" [{default}]" if default else ""
                given = input(f"{prompt}{suffix}: ").strip() or default
            given = given if given is not None else default
            if required and not given:
                raise CommandError(f"--{key.replace('_', '-')} is required", returncode=2)
            return given or ""

        name = value("name", "Clinic name")
        zone = value("timezone", "Time zone", "Europe/Istanbul")
        address = value("address", "Address", required=False)
        phone = value("phone", "Phone", required=False)
        languages = value("languages", "Languages", "en,tr")
        hours = parse_hours(value("hours", "Opening hours", "mon-fri 09:00-18:00"))
        username = value("admin_username", "Clinic admin's user name")
        email = value("admin_email", "Clinic admin's e-mail", required=False)
        password = self._password(o["admin_password_file"], ask)
        try:
            clinic, user = actions.create_clinic(
                name=name,
                timezone_name=zone,
                address=address,
                phone=phone,
                languages=[code.strip() for code in languages.split(",") if code.strip()],
                hours=hours,
                admin_username=username,
                admin_email=email,
                admin_password=password,
                user_agent="createclinic",
            )
        except ValidationError as exc:
            raise CommandError(_one_line(exc), returncode=2) from None
        self.stdout.write(f"created clinic {clinic.name!r} ({clinic.code}); admin {user.username}")

    def _password(self, path: str | None, ask: bool) -> str:
        if path:
            try:
                with open(path, encoding="utf-8") as handle:
                    return handle.read().strip()
            except OSError as exc:
                raise CommandError(
                    f"--admin-password-file {path}: {exc.strerror}", returncode=2
                ) from None
        if os.getenv("ADMIN_PASSWORD"):
            return os.environ["ADMIN_PASSWORD"]
        if not ask:
            raise CommandError(
                "--admin-password-file (or ADMIN_PASSWORD) is required with --no-input",
                returncode=2,
            )
        one = getpass.getpass("Clinic admin's password: ")
        if one != getpass.getpass("Password again: "):
            raise CommandError("the two passwords differ", returncode=2)
        return one


FLAGS = {"timezone": "--timezone", "password": "admin password", "username": "--admin-username"}


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{FLAGS.get(field, '--' + field)}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
