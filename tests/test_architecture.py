"""The layout of app/ as docs/architecture.md declares it: no import circle between modules, no
module importing a higher layer, every module and function of a readable size, a small root, and
every feature's routes registered through its blueprint module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Layers, lowest first: a module may import its own layer and the layers below it.
# The first matching rule gives a module's layer (see docs/architecture.md).
FOUNDATION = ("app.config", "app.extensions", "app.core.timeutil", "app.core.i18n")
FOUNDATION += ("app.core.textnorm", "app.core.office_scope")
FEATURES = (
    "account",
    "admin",
    "archive",
    "auth",
    "dashboard",
    "documents",
    "edxml",
    "feeds",
    "importing",
    "main",
    "offices",
    "recurring",
    "reminders",
    "reports",
    "keytasks",
    "tasks",
    "units",
)
LAYERS = ("foundation", "models", "core", "services", "features", "surfaces")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
MAX_ROOT_MODULES = 8


def layer_of(module: str) -> str:
    parts = module.split(".")
    if module in FOUNDATION:
        return "foundation"
    if parts[-1] == "commands" or module == "app":
        return "surfaces"  # the command line and the application factory
    if len(parts) == 1:
        return "surfaces"
    top = parts[1]
    if top == "models":
        return "models"
    if top == "core":
        return "core"
    if top in ("web", "printing", "ops"):
        return "services"
    if top in FEATURES:
        return "features"
    if top in ("api", "cli", "scheduler", "dev"):
        return "surfaces"
    return "foundation" if module in ("app.config", "app.extensions") else "unknown"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(module: str, path: Path) -> set[str]:
    """Every module of app/ this one imports, at the top or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_resolve(alias.name) for alias in node.names if alias.name.startswith("app")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            if base != "app" and not base.startswith("app."):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else _resolve(base))
    found.discard(module)
    found.discard("")
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def test_the_cycle_finder_finds_a_circle_and_only_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_import_circle_between_modules_of_app():
    assert _cycles(GRAPH) == []


def test_every_module_has_a_declared_layer():
    assert [module for module in MODULES if layer_of(module) == "unknown"] == []


def test_no_module_imports_a_higher_layer():
    upward = [
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(module))
    ]
    assert upward == []


def test_the_layer_rule_would_catch_an_upward_import():
    assert LAYERS.index(layer_of("app.api.tasks")) > LAYERS.index(layer_of("app.tasks.workflow"))
    assert LAYERS.index(layer_of("app.tasks.workflow")) > LAYERS.index(
        layer_of("app.core.deadlines")
    )
    assert LAYERS.index(layer_of("app.core.deadlines")) > LAYERS.index(layer_of("app.models.units"))
    assert layer_of("app.reports.commands") == "surfaces"


def test_modules_and_functions_are_of_a_readable_size():
    too_long = []
    for module, path in sorted(MODULES.items()):
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{module}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{module}.{node.name}: {length} lines")
    assert too_long == []


def test_the_root_of_app_holds_only_the_factory_configuration_and_extensions():
    root = sorted(path.name for path in APP.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


@pytest.mark.parametrize(
    "feature", sorted({path.parent.name for path in APP.glob("*/blueprint.py")})
)
def test_every_route_module_of_a_feature_is_registered_by_its_blueprint(feature):
    """A module that puts routes on a feature's blueprint is listed in its VIEWS (what the
    factory imports), and every listed module exists."""
    import importlib

    blueprint = importlib.import_module(f"app.{feature}.blueprint")
    package = APP / feature
    with_routes = sorted(
        path.stem
        for path in package.glob("*.py")
        if f"from app.{feature}.blueprint import bp" in path.read_text(encoding="utf-8")
        and "@bp." in path.read_text(encoding="utf-8")
    )
    assert sorted(blueprint.VIEWS) == with_routes
