"""The dependency direction: the core never imports an adapter or a platform SDK."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot"
FORBIDDEN = ("adapters", "discord", "slack_bolt", "slack_sdk")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_never_imports_adapters_or_platform_sdks() -> None:
    offenders = [
        f"{path.relative_to(CORE.parent)} imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_the_check_would_see_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from adapters.console import render\nimport discord\n", encoding="utf-8")
    assert _imports(bad) == ["adapters.console", "discord"]


def test_adapters_are_found_by_entry_point() -> None:
    from bot import plugins

    assert "console" in plugins.available()
    console = plugins.load("console")
    assert console.name == "console"


def _module(path: Path) -> str:
    parts = list(path.relative_to(CORE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level(tree: ast.Module) -> list[ast.stmt]:
    """The statements run on import, ``if TYPE_CHECKING:`` blocks included."""
    found: list[ast.stmt] = []
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, ast.If | ast.Try):
            todo.extend([*node.body, *node.orelse])
    return found


def _core_graph(*, in_functions: bool = True) -> dict[str, set[str]]:
    """Core module -> the core modules it imports: at the top and under ``TYPE_CHECKING``,
    and (``in_functions``) inside functions too."""
    modules = {_module(path): path for path in CORE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree) if in_functions else _module_level(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, or [] (depth-first search with the path on a stack)."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node):], node]
        if node in done:
            return []
        for nxt in sorted(graph[node]):
            if cycle := visit(nxt, [*path, node]):
                return cycle
        done.add(node)
        return []

    for start in sorted(graph):
        if cycle := visit(start, []):
            return cycle
    return []


def test_the_core_has_no_import_cycle_not_even_for_type_checking() -> None:
    assert _cycle(_core_graph()) == []


def test_the_cycle_check_would_see_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


# What the outbound seam may depend on: the neutral messages and the settings, never a feature.
# Leaf modules the ports may reach (messages and settings, and what those two read).
PORTS_MAY_REACH = {"bot", "bot.frontdoor", "bot.intents", "bot.messages", "bot.numbers",
                   "bot.settings", "bot.question", "bot.question.quoteforms",
                   "bot.question.typos"}


def test_ports_import_no_feature_back() -> None:
    graph = _core_graph(in_functions=False)
    reached: set[str] = set()
    todo = ["bot.ports"]
    while todo:
        for nxt in graph[todo.pop()] - reached:
            reached.add(nxt)
            todo.append(nxt)
    assert reached <= PORTS_MAY_REACH, sorted(reached - PORTS_MAY_REACH)


ADAPTER_MEMBERS = {"deliverer", "wait_until_ready", "digests", "feeds", "start", "stop", "name"}


PROBED = ("adapter", "catalogue")  # what the core reaches only through its protocol


def _probes(path: Path) -> list[str]:
    """``getattr``/``hasattr`` on an adapter or the catalogue or on an adapter's member
    names, and attributes assigned on an adapter from outside it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr", "setattr") and len(node.args) >= 2):
            target, member = ast.unparse(node.args[0]), node.args[1]
            named = isinstance(member, ast.Constant) and member.value in ADAPTER_MEMBERS
            if any(word in target.lower() for word in PROBED) or named:
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.Assign):
            for target_node in node.targets:
                if (isinstance(target_node, ast.Attribute)
                        and "adapter" in ast.unparse(target_node.value).lower()):
                    found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_the_core_never_probes_adapters_or_the_catalogue() -> None:
    """Adapters declare what the core uses (``bot.ports.ChatAdapter``), the catalogue too
    (``bot.catalogue.base.Catalogue``); the core neither probes them with ``getattr`` nor
    hands adapters things by assigning attributes."""
    assert [p for path in sorted(CORE.rglob("*.py")) for p in _probes(path)] == []


def test_the_probe_check_would_see_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("d = getattr(adapter, 'deliverer', None)\nx = getattr(a, 'wait_until_ready')\n"
                   "adapter.digests = commands\nok = getattr(job, 'next_run_time', None)\n"
                   "where = getattr(catalogue, 'path', None)\n",
                   encoding="utf-8")
    assert len(_probes(bad)) == 4


def test_adapters_import_the_core_only_through_its_api() -> None:
    """``bot/api.py`` is the surface a third adapter can rely on."""
    adapters = CORE.parent / "adapters"
    offenders = [
        f"{path.relative_to(adapters.parent)} imports {name}"
        for path in sorted(adapters.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] == "bot" and name != "bot.api"
    ]
    assert offenders == []


def _sqlite_paths(path: Path) -> list[str]:
    """Lines calling ``sqlite_path(`` in a module that is not a SQLite backend module (one
    whose file name says ``sqlite``): everywhere else stores come from ``bot.catalogue.open``."""
    if "sqlite" in path.name:
        return []
    return [f"{path.name}:{number}" for number, line in
            enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "sqlite_path(" in line]


def test_only_sqlite_backend_modules_turn_a_url_into_a_file() -> None:
    """A second database backend must not leave a feature behind on SQLite."""
    assert [hit for path in sorted(CORE.rglob("*.py")) for hit in _sqlite_paths(path)] == []


def test_the_sqlite_path_check_would_see_one(tmp_path: Path) -> None:
    bad = tmp_path / "scheduler.py"
    bad.write_text("store = FeedStore(sqlite_path(settings.database_url))\n", encoding="utf-8")
    backend = tmp_path / "sqlite_backend.py"
    backend.write_text("def sqlite_path(url: str) -> str: ...\n", encoding="utf-8")
    assert _sqlite_paths(bad) == ["scheduler.py:1"]
    assert _sqlite_paths(backend) == []
