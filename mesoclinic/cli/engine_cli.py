"""Engine commands per ../shared/contracts/cli.md: JSON on stdout, one-line errors on stderr.

Exit status: 0 done; 2 bad input (the message names the field); 1 broken knowledge or
an internal error. Never a traceback unless MESOCLINIC_DEBUG=1.
"""

import argparse
import json
import os
import select
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from mesoclinic.engine.inputs import InputError

LANGS = ("en", "tr")
MAX_INPUT_BYTES = 1024 * 1024  # a request is a few kilobytes; a photo has its own limit
MAX_IMAGE_BYTES = 25 * 1024 * 1024
INPUT_SECONDS = 10.0  # MESOCLINIC_INPUT_SECONDS overrides: how long to wait for input
_CONTROL = {chr(c) for c in range(32)} | {chr(127)} | {chr(c) for c in range(0x80, 0xA0)}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError("", message)


def _knowledge():
    from mesoclinic.engine.knowledge import load

    return load(os.getenv("MESOCLINIC_KNOWLEDGE_DIR") or None)


def _read_limited(fd: int, field: str, limit: int) -> bytes:
    """Read `fd` to its end, refusing more than `limit` bytes (so /dev/zero ends at once)
    or a writer that sends nothing for longer than the time limit."""
    seconds = float(os.getenv("MESOCLINIC_INPUT_SECONDS") or INPUT_SECONDS)
    deadline = time.monotonic() + seconds
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        ready = select.select([fd], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            raise InputError(field, f"no complete input within {seconds:g} seconds")
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise InputError(field, f"the input is larger than {limit:,} bytes")
        chunks.append(chunk)


def _read_input(spec: str, field: str = "--input", limit: int | None = None) -> bytes:
    limit = limit or MAX_INPUT_BYTES
    if spec == "-":
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, OSError, ValueError):  # a stream with no descriptor
            data = sys.stdin.buffer.read(limit + 1)
            if len(data) > limit:
                raise InputError(field, f"the input is larger than {limit:,} bytes") from None
            return data
        return _read_limited(fd, field, limit)
    try:
        fd = os.open(spec, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(field, f"cannot read {spec!r}: {exc.strerror}") from None
    try:
        if os.path.isdir(spec):
            raise InputError(field, f"cannot read {spec!r}: it is a directory")
        return _read_limited(fd, field, limit)
    except OSError as exc:
        raise InputError(field, f"cannot read {spec!r}: {exc.strerror}") from None
    finally:
        os.close(fd)


def control_character_problem(argv: list[str]) -> str:
    """What is wrong when a command argument carries a control character (a NUL, an
    escape, a line break), else ""."""
    for arg in argv:
        bad = next((c for c in arg if c in _CONTROL), None)
        if bad is not None:
            shown = arg.split("=", 1)[0] if arg.startswith("--") else repr(arg)[:40]
            return f"argument {shown} contains a control character (U+{ord(bad):04X})"
    return ""


def _check_arguments(argv: list[str]) -> None:
    if problem := control_character_problem(argv):
        raise InputError("", problem)


def _emit(doc: Any) -> None:
    sys.stdout.buffer.write((json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    sys.stdout.flush()


def cmd_protocols(args) -> None:
    from mesoclinic.engine.knowledge import text

    k = _knowledge()
    _emit(
        {
            "protocols": [
                {"id": p.id, "title": text(p.title, args.lang), "region": p.region}
                for p in k.protocols.values()
            ],
            "knowledge_version": k.version,
        }
    )


def cmd_screen(args) -> None:
    from mesoclinic.engine.screening import screen_request

    k = _knowledge()
    _emit(screen_request(k, _read_input(args.input), args.lang).as_dict(k))


def cmd_plan(args) -> None:
    from mesoclinic.engine.inputs import parse_date
    from mesoclinic.engine.planning import plan
    from mesoclinic.engine.screening import ingredient_classes

    k = _knowledge()
    start = parse_date(args.start, "--start")
    classes = ingredient_classes(k, args.ingredient or [])
    _emit(plan(k, args.protocol, start, args.sessions, classes).as_dict(k))


def cmd_aftercare(args) -> None:
    from mesoclinic.engine.aftercare import aftercare
    from mesoclinic.engine.inputs import parse_aware_datetime

    k = _knowledge()
    end = parse_aware_datetime(args.session_end, "--session-end")
    _emit(aftercare(k, args.protocol, end, args.lang))


def cmd_triage(args) -> None:
    from mesoclinic.engine.triage import triage_request

    k = _knowledge()
    _emit(triage_request(k, _read_input(args.input), args.lang))


def cmd_ask(args) -> None:
    from mesoclinic.engine.ask import ask

    k = _knowledge()
    _emit(ask(args.question, args.lang, args.protocol, args.day, k=k))


def cmd_knowledge_doc(args) -> int:
    from mesoclinic.cli.knowledge_doc import DEFAULT_PATH, render

    path = Path(args.output) if args.output else DEFAULT_PATH
    doc = render(_knowledge())
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != doc:
            print(f"mesoclinic knowledge-doc: {path} is stale; run `make docs`", file=sys.stderr)
            return 1
        return 0
    path.write_text(doc, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_photo_measure(args) -> None:
    from mesoclinic.engine.photo import measure_file
    from mesoclinic.engine.photo.colour import parse_chart

    chart = parse_chart(args.chart) if args.chart else None
    data = _read_input(args.image, "IMAGE", MAX_IMAGE_BYTES)
    _emit(measure_file(data, args.view, chart=chart))


def _positive_int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mesoclinic", description="Mesoclinic clinical engine")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if name != "knowledge-doc":
            p.add_argument("--lang", choices=LANGS, default="en", help="language of the texts")
        return p

    add("protocols", cmd_protocols, "List the protocols with their titles.")
    p = add("screen", cmd_screen, "Screen one patient for one protocol on one date.")
    p.add_argument("--input", required=True, help="JSON file, or - for stdin")
    p = add("plan", cmd_plan, "The session series and maintenance for a protocol.")
    p.add_argument("--protocol", required=True)
    p.add_argument("--start", required=True, help="date of session 1, YYYY-MM-DD")
    p.add_argument(
        "--sessions", type=_positive_int, help="number of sessions (default: the protocol's)"
    )
    p.add_argument(
        "--ingredient", action="append", help="an ingredient of the cocktail (repeatable)"
    )
    p = add("aftercare", cmd_aftercare, "Aftercare instructions with the moment each ends.")
    p.add_argument("--protocol", required=True)
    p.add_argument("--session-end", required=True, help="e.g. 2026-12-01T10:30:00+01:00")
    p = add("triage", cmd_triage, "Triage a side effect reported after a session.")
    p.add_argument("--input", required=True, help="JSON file, or - for stdin")
    p = add("photo-measure", cmd_photo_measure, "Measure one photo: quality, regions, colour.")
    p.add_argument("image", metavar="IMAGE", help="JPEG, PNG or WebP file, or - for stdin")
    p.add_argument(
        "--view", default="front", help="front, left45, right45, vertex, hairline or body"
    )
    p.add_argument("--chart", help="ColorChecker corners x1,y1,...,x4,y4 (clockwise)")
    p = sub.add_parser("ask", help="Answer a patient's question from the knowledge base.")
    p.set_defaults(func=cmd_ask)
    p.add_argument("question", help="the question, in English or Turkish")
    p.add_argument("--lang", choices=LANGS, help="language of the answer (default: detected)")
    p.add_argument("--protocol", help="the patient's protocol, to personalise the answer")
    p.add_argument("--day", type=_positive_int, help="days since the session (0 = same day)")
    p = add("knowledge-doc", cmd_knowledge_doc, "Write docs/knowledge.md from the knowledge data.")
    p.add_argument("--check", action="store_true", help="fail if the document is stale")
    p.add_argument("--output", help="where to write (default docs/knowledge.md)")
    return parser


def run(argv: list[str]) -> int:
    from mesoclinic.engine.schema import KnowledgeError

    command = argv[0] if argv else ""
    try:
        _check_arguments(argv)
        args = build_parser().parse_args(argv)
        return args.func(args) or 0
    except InputError as exc:
        message = str(exc) or exc.problem
        print(f"mesoclinic {command}: {' '.join(message.split())}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        print(
            f"mesoclinic {command}: broken knowledge: {' '.join(str(exc).split())}", file=sys.stderr
        )
        return 1
    except BrokenPipeError:  # pragma: no cover - the reader went away
        return 1
    except Exception as exc:  # noqa: BLE001 - the command must never show a traceback
        if os.getenv("MESOCLINIC_DEBUG") == "1":
            raise
        print(f"mesoclinic {command}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
