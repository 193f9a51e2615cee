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
