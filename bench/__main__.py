import importlib
import platform
import sys
import time

from bench.common import table

BENCHMARKS = ["screening", "ask", "scheduling", "photos", "journey", "pdf", "audit", "fhir"]
BENCHMARKS += ["photo_limits"]  # issue 15 (reads): 40 MP photo memory and time
BENCHMARKS += ["dashboard"]  # issue 17: dashboard and billing pages


# commands with their own arguments (issue 18): a clinic chain at scale, and load over HTTP
COMMANDS = ["seed", "load"]
COMMANDS += ["photos_tune"]  # issue 19: the tuning part of the single-photo spot validation


def main(names: list[str]) -> int:
    if names and names[0] in COMMANDS:
        return importlib.import_module(f"bench.{names[0]}").main(names[1:])
    chosen = names or BENCHMARKS
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        print(
            f"bench: unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    print(
        f"# Benchmarks {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, Python {platform.python_version()}"
    )
    for name in chosen:
        results = importlib.import_module(f"bench.{name}").run()
        print(f"\n## {name}\n")
        print(table(results))
    return 0


sys.exit(main(sys.argv[1:]))
