"""The structure of docs/ARCHITECTURE.md, enforced where CI looks (`make test`): the import
contracts in pyproject.toml (import-linter), no app module importing in a function body
what it could import at the top, and modules that stay small."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "mesoclinic"

# Imports that must stay inside a function, and why.
DEFERRED_ALLOWED = {
    "apps.py": "Django: AppConfig.ready runs once the app registry is loaded",
    "tasks.py": "Django's tasks: the worker imports the task module on its own",
    "management": "Django's management commands",
    "cli": "the command line starts without Django or the engine until a command needs them",
    "engine/knowledge.py": "the knowledge loader builds the warning-sign detector (engine cycle)",
    "engine/signs.py": "the detector triages with the engine's triage (engine cycle)",
    "engine/photo": "numerical libraries load only when a photo is measured",
}
# Calls that enqueue a Django task inside an action (the task module imports the action's
# module back).
DEFERRED_TASK_IMPORTS = {".tasks", "mesoclinic.outbox.tasks"}


def _production_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in f"/{rel}":
            continue
        yield rel, path


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    """import-linter's `lint-imports`, in its own process: it configures logging for the
    whole interpreter (disabling the loggers that exist), which must not leak into tests."""
    code = "from importlinter.cli import lint_imports_command as c; c()"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold():
    run = lint_imports()
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_a_broken_contract_fails_the_check(tmp_path):
    """The same runner reports a contract the code breaks (so the test above can fail)."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_packages = ["mesoclinic"]

            [[tool.importlinter.contracts]]
            name = "the portal may not read treatments (it does)"
            type = "forbidden"
            source_modules = ["mesoclinic.portal"]
            forbidden_modules = ["mesoclinic.treatments"]
            allow_indirect_imports = true
            """
        )
    )
    run = lint_imports("--config", str(config))
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert "mesoclinic.portal" in run.stdout


def _deferred_imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                name = "." * inner.level + (inner.module or "")
                if inner.level or name.startswith("mesoclinic"):
                    yield inner.lineno, name
            elif isinstance(inner, ast.Import):
                for alias in inner.names:
                    if alias.name.startswith("mesoclinic"):
                        yield inner.lineno, alias.name


def test_app_modules_import_at_the_top():
    """No import of the project's own code hidden in a function body (which keeps import
    cycles alive) except where Django or a heavy optional library needs it."""
    found = []
    for rel, path in _production_modules():
        if any(
            rel == k or rel.startswith(k + "/") or rel.endswith("/" + k) for k in DEFERRED_ALLOWED
        ):
            continue
        for line, name in _deferred_imports(path):
            if name not in DEFERRED_TASK_IMPORTS:
                found.append(f"mesoclinic/{rel}:{line} imports {name} in a function")
    assert found == []


def test_modules_stay_small():
    """A module is split before it passes 500 lines."""
    long = [
        f"mesoclinic/{rel}: {n} lines"
        for rel, path in _production_modules()
        if (n := len(path.read_text().splitlines())) > 500
    ]
    assert long == []
