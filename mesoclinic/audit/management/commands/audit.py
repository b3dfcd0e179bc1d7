"""`mesoclinic audit verify [--clinic CODE]`: walk the audit chains and report the first
broken link as JSON on stdout. Exit 0: every chain holds; 1: a chain is broken (the first
broken link is named); 2: bad input (an unknown or malformed clinic code)."""

import json
import sys
import uuid

from django.core.management.base import BaseCommand, CommandError

from mesoclinic.accounts.models import Clinic
from mesoclinic.audit import chain


class Command(BaseCommand):
    help = "Check the audit log's hash chains (verify)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="walk every chain; report the first broken link")
        verify.add_argument("--clinic", help="only this clinic's chain (its code)")

    def handle(self, *args, verb, clinic=None, **options):
        only = None
        if clinic is not None:
            try:
                code = uuid.UUID(clinic)
            except ValueError:
                raise CommandError(
                    f"--clinic: {clinic!r} is not a clinic code", returncode=2
                ) from None
            found = Clinic.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"--clinic: no clinic has the code {clinic}", returncode=2)
            only = [chain.chain_key(found)]
        codes = {str(pk): str(code) for pk, code in Clinic.objects.values_list("pk", "code")}
        report, first = [], None
        for key in chain.chain_keys(only):
            rows, broken = chain.verify_chain(key)
            entry = {"clinic": codes.get(key, key), "rows": rows, "ok": broken is None}
            if broken is not None:
                entry["broken"] = {"seq": broken.seq, "problem": broken.problem}
                first = first or {"clinic": entry["clinic"], **entry["broken"]}
            report.append(entry)
        self.stdout.write(json.dumps({"ok": first is None, "first_break": first, "chains": report}))
        if first is not None:
            sys.stdout.flush()
            sys.exit(1)
