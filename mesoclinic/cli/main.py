"""The `mesoclinic` command: the clinical engine's commands, and Django's manage.py.

Engine commands (protocols, screen, plan, aftercare, triage, knowledge-doc, ask) run without
starting Django, so they answer fast; everything else goes to Django's management.
"""

import os
import sys

ENGINE_COMMANDS = (
    "protocols",
    "screen",
    "plan",
    "aftercare",
    "triage",
    "knowledge-doc",
    "photo-measure",
    "ask",
)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from .engine_cli import control_character_problem

    if problem := control_character_problem(argv):  # every command, Django's too
        print(f"mesoclinic: {problem}", file=sys.stderr)
        return 2
    if argv and argv[0] in ENGINE_COMMANDS:
        from . import engine_cli

        return engine_cli.run(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from mesoclinic.lib import localdirs

    try:
        localdirs.ensure()
    except ImproperlyConfigured as exc:  # a bad setting: one line naming it, no traceback
        print(f"mesoclinic: {exc}", file=sys.stderr)
        return 2
    execute_from_command_line(["mesoclinic", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
