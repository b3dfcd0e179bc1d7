"""Make, list or revoke FHIR API tokens from the command line (as the clinic's system)."""

import contextlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mesoclinic.accounts.actor import Actor
from mesoclinic.accounts.models import Clinic
from mesoclinic.fhir import access, actions


class Command(BaseCommand):
    help = "Make (create), list or revoke FHIR API tokens of a clinic."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["create", "list", "revoke"])
        parser.add_argument("--clinic", required=True, help="the clinic's code (UUID) or name")
        parser.add_argument("--name", default="", help="create: which system uses the token")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            help="create: system/<Type>.read or system/*.read (repeat for several)",
        )
        parser.add_argument("--token", default="", help="revoke: the token's code (UUID)")

    def handle(self, *args, what, clinic, name, scope, token, **options):
        found = Clinic.objects.filter(name=clinic)
        with contextlib.suppress(ValidationError):  # not a UUID: a name only
            found = found | Clinic.objects.filter(code=clinic)
        if found.count() != 1:
            raise CommandError(f"--clinic: no single clinic named or coded {clinic!r}")
        actor = Actor.system(found.get())
        try:
            if what == "create":
                made, secret = actions.create_token(actor, name=name, scopes=scope or [])
                self.stdout.write(f"{made.code}\t{secret}")
                self.stderr.write("The secret is shown only once: store it now.")
            elif what == "list":
                for t in access.tokens_for(actor):
                    state = "active" if t.active else f"revoked {t.revoked_at:%Y-%m-%d}"
                    self.stdout.write(
                        f"{t.code}\t{t.prefix}…\t{t.name}\t{','.join(t.scopes)}\t{state}"
                    )
            else:
                actions.revoke_token(actor, access.get_token(actor, token))
                self.stdout.write(f"revoked {token}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except Exception as exc:  # Http404 for an unknown token
            if exc.__class__.__name__ == "Http404":
                raise CommandError(f"--token: no such token {token!r} in this clinic") from None
            raise
