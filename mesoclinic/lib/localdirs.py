"""The local folders a running instance writes to (the SQLite database's folder, collected
static files), created when the application starts, never when settings are imported."""

from pathlib import Path

from django.conf import settings


def ensure() -> list[Path]:
    """Create the folders the configured instance needs; return those it created."""
    wanted = [Path(settings.STATIC_ROOT)]
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"].endswith("sqlite3") and name and not name.startswith(("file:", ":")):
        wanted.append(Path(name).parent)
    created = []
    for path in wanted:
        if not path.exists():
            path.mkdir(parents=True, exist_ok=True)
            created.append(path)
    return created
