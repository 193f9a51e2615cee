"""Is this SQLite file newsbot's, and not from a newer newsbot? Decided before anything writes.

The file is opened read-only (``mode=ro``): switching to WAL, creating a version table or
seeding would change another application's file, so a file that holds tables but is not a
newsbot database is refused untouched, and so is one whose schema is newer than this code.
A missing or empty file is new and ours to create.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from bot.catalogue.base import CatalogueUnavailableError, SchemaTooNewError, unusable_reason

CATALOGUE_VERSION_TABLE = "schema_version"
_CATALOGUE_COLUMNS = frozenset({"version", "name", "applied_at"})
# The feature stores (digests, feeds) keep their tables beside the catalogue's, under these
# names; a file holding only those (a store opened first) is still newsbot's.
_STORE_TABLE_PREFIXES = ("digest_", "feed_", "feeds_")
_STORE_TABLES = frozenset({"feeds"})


def _read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)


def _tables(db: sqlite3.Connection) -> dict[str, frozenset[str]]:
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: frozenset(row[1] for row in db.execute(
        "SELECT * FROM pragma_table_info(?)", (name,))) for name in names}


def _is_store_table(name: str) -> bool:
    return name in _STORE_TABLES or name.startswith(_STORE_TABLE_PREFIXES)


def _highest(db: sqlite3.Connection, table: str) -> int:
    row = db.execute(f'SELECT coalesce(max(version), 0) FROM "{table}"').fetchone()  # noqa: S608
    return int(row[0])


def check_file(
    path: str, migrations: Mapping[int, str], stores: Mapping[str, int] | None = None
) -> None:
    """Refuse (``CatalogueUnavailableError``) a file that is not a newsbot database, and
    (``SchemaTooNewError``) one written by a newer newsbot.

    ``migrations``: the catalogue's known migrations (version -> file name); a newsbot file's
    ``schema_version`` rows name them. ``stores``: version table -> highest version this code
    knows, for the feature stores.
    """
    if path in (":memory:", "") or not Path(path).is_file() or Path(path).stat().st_size == 0:
        return
    try:
        with closing(_read_only(path)) as db:
            tables = _tables(db)
            _check_owner(path, db, tables, migrations)
            versions = dict(stores or {})
            if CATALOGUE_VERSION_TABLE in tables:
                versions[CATALOGUE_VERSION_TABLE] = max(migrations, default=0)
            for table, known in versions.items():
                if table in tables and (found := _highest(db, table)) > known:
                    raise SchemaTooNewError(
                        f"the database file {path} was written by a newer newsbot ({table} "
                        f"{found}; this one knows up to {known}): upgrade newsbot")
    except sqlite3.DatabaseError as exc:
        raise CatalogueUnavailableError(unusable_reason(path, exc)) from exc


def _check_owner(
    path: str, db: sqlite3.Connection, tables: Mapping[str, frozenset[str]],
    migrations: Mapping[int, str],
) -> None:
    columns = tables.get(CATALOGUE_VERSION_TABLE)
    if columns is not None:
        names = dict(db.execute("SELECT version, name FROM schema_version").fetchall()
                     ) if columns >= _CATALOGUE_COLUMNS else None
        if names is not None and all(
            migrations.get(v) in (None, n) for v, n in names.items()
        ):
            return
    elif all(_is_store_table(name) for name in tables):
        return
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise CatalogueUnavailableError(
        f"the database file {path} is not a newsbot database (it holds other tables: "
        f"{shown}); nothing was changed. Point --db at another file")


def check_store_file(path: str, version_table: str, known: int) -> None:
    """``check_file`` for a feature store opened on its own: the same refusals, and its own
    version table checked against ``known``."""
    from bot.catalogue._sqlite_schema import migrations

    check_file(path, {v: name for v, name, _ in migrations()}, {version_table: known})

