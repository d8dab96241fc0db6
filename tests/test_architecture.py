"""The shape of the code: apps that import each other's modules never in a circle, never
the project package, and one module that reads django-fsm's private description."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["certification", "audits", "documents", "juries"]


def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_at_load(name: str, path: Path, known: set[str]) -> set[str]:
    """The app modules `name` imports when it is loaded (imports inside functions run later
    and do not make a cycle at load time)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def test_no_app_module_imports_itself_back_through_others():
    found = modules()
    graph = {name: imports_at_load(name, path, set(found)) for name, path in found.items()}
    cycles = []

    def visit(name, trail):
        if name in trail:
            cycles.append(trail[trail.index(name) :] + [name])
            return
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, trail + [name])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [])
    assert cycles == []


@pytest.mark.parametrize("app", APPS)
def test_apps_do_not_import_the_project_package(app):
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / app).rglob("*.py")
        if "import labelflow" in path.read_text() or "from labelflow" in path.read_text()
    ]
    assert offenders == []


def test_only_the_policy_reads_django_fsm_private_attributes():
    readers = [
        str(path.relative_to(ROOT))
        for path in modules().values()
        if "_django_fsm" in path.read_text()
    ]
    assert readers == ["certification/policy.py"]
