"""What a wheel install needs beside the code is declared as package data: the migrations and
the demo seeds (a wheel without them logs "first run" on every command and seeds nothing)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_seeds_and_migrations_are_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["bot"]
    needed = [*(REPO / "bot" / "seeds").iterdir(),
              *(REPO / "bot" / "catalogue" / "migrations").glob("*.sql")]
    assert any(p.suffix == ".txt" for p in needed)
    for path in needed:
        relative = path.relative_to(REPO / "bot")
        assert any(relative.match(pattern) for pattern in globs), relative
