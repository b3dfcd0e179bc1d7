"""Health checks for /healthz: each app registers what it can say about itself (in its
AppConfig.ready), so the page knows no app. A check returns a dict with a `status` of
"ok" or anything else (reported as degraded); a database error makes the page 503."""

from collections.abc import Callable

_checks: dict[str, Callable[[], dict]] = {}


def register(name: str, check: Callable[[], dict]) -> None:
    _checks[name] = check


def report() -> tuple[str, dict]:
    """("ok" or "degraded", {name: the check's dict}). Database errors propagate."""
    results = {name: check() for name, check in sorted(_checks.items())}
    ok = all(result.get("status") == "ok" for result in results.values())
    return ("ok" if ok else "degraded"), results
