"""Article vectors in the catalogue's SQLite file (table ``article_vectors``, migration 004).

Plain ``sqlite3`` connections of its own, used from worker threads: loading 100k vectors is
one thread call that returns a matrix, not 100k rows through the event loop. The catalogue
creates the table (its migrations run when it opens); this module only reads and writes rows.
"""

# SQL is assembled only from constant fragments; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
STORED_DTYPE = "f2"  # float16 halves the file; its rounding moves a cosine by ~1e-4 at most
LEAD_SENTENCES = 3
BUSY_TIMEOUT_S = 30.0

# The text embedded for an article: its title and its first body sentences (paragraph 0 is
# the title).
_TEXT = (
    "SELECT a.id, a.content_hash, a.title, (SELECT group_concat(text, ' ') FROM"
    " (SELECT text FROM sentences s WHERE s.article_id = a.id AND s.paragraph > 0"
    f"  ORDER BY s.idx LIMIT {LEAD_SENTENCES})) FROM articles a"
)


@dataclass(frozen=True, slots=True)
class Pending:
    """An article to embed: its row id, content hash when read, and the text to embed."""

    article_id: int
    content_hash: str
    text: str


@dataclass(frozen=True, slots=True)
class Loaded:
    """Vectors read for one model: article ids, their unit vectors, and how far the read went
    (the highest rowid seen and the deletion count, to read only what is new next time)."""

    ids: npt.NDArray[np.int64]
    vectors: Matrix
    last_rowid: int
    deletions: int


class VectorStore:
    """Reads and writes ``article_vectors`` in the SQLite file at ``path``."""

    def __init__(self, path: str) -> None:
        """Connect lazily; every call runs in the calling (worker) thread."""
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA foreign_keys = ON")
            self._db = db
        return self._db

    def close(self) -> None:
        """Close the connection (reopened if used again)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def state(self) -> tuple[int, int]:
        """(highest vector rowid, deletion count): changes whenever the stored set does."""
        with self._lock:
            row = self._conn().execute(
                "SELECT (SELECT coalesce(max(rowid), 0) FROM article_vectors),"
                " (SELECT count FROM vector_deletions WHERE id = 1)").fetchone()
        return int(row[0]), int(row[1] or 0)

    def load(self, model: str, dim: int, after_rowid: int = 0) -> Loaded:
        """The vectors of ``model`` stored after ``after_rowid``, as float32 unit rows."""
        with self._lock:
            db = self._conn()
            db.execute("BEGIN")  # one snapshot for the rows and the state
            try:
                rows = db.execute(
                    "SELECT rowid, article_id, dtype, vector FROM article_vectors"
                    " WHERE rowid > ? AND model = ? AND dim = ? ORDER BY rowid",
                    (after_rowid, model, dim)).fetchall()
                last, deletions = db.execute(
                    "SELECT (SELECT coalesce(max(rowid), 0) FROM article_vectors),"
                    " (SELECT count FROM vector_deletions WHERE id = 1)").fetchone()
            finally:
                db.execute("COMMIT")
        vectors = np.empty((len(rows), dim), dtype=np.float32)
        for i, (_, _, dtype, blob) in enumerate(rows):
            vectors[i] = np.frombuffer(blob, dtype="<" + dtype)
        ids = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        return Loaded(ids, vectors, max(int(last), after_rowid), int(deletions or 0))

    def missing(self, model: str, after_id: int, limit: int) -> list[Pending]:
        """Up to ``limit`` articles with id above ``after_id`` and no vector for ``model``."""
        with self._lock:
            rows = self._conn().execute(
                _TEXT + " WHERE a.id > ? AND NOT EXISTS (SELECT 1 FROM article_vectors v"
                " WHERE v.model = ? AND v.article_id = a.id) ORDER BY a.id LIMIT ?",
                (after_id, model, limit)).fetchall()
        return [Pending(int(r[0]), str(r[1]), embed_text(r[2], r[3])) for r in rows]

    def count_missing(self, model: str) -> int:
        """How many articles have no vector for ``model``."""
        with self._lock:
            row = self._conn().execute(
                "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM"
                " article_vectors v WHERE v.model = ? AND v.article_id = a.id)",
                (model,)).fetchone()
        return int(row[0])

    def save(self, model: str, items: list[Pending], vectors: Matrix) -> int:
        """Store one vector per item in one transaction; an article changed or deleted since
        it was read is skipped (its new text is embedded on a later pass). Rows stored."""
        blobs = np.asarray(vectors, dtype="<" + STORED_DTYPE)
        dim = int(blobs.shape[1]) if blobs.ndim == 2 else 0
        params = [(item.article_id, model, dim, STORED_DTYPE, item.content_hash,
                   blobs[i].tobytes(), item.article_id, item.content_hash)
                  for i, item in enumerate(items)]
        with self._lock:
            db = self._conn()
            before = db.total_changes
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT OR IGNORE INTO article_vectors (article_id, model, dim, dtype,"
                    " content_hash, vector) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1"
                    " FROM articles WHERE id = ? AND content_hash = ?)", params)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return db.total_changes - before


def embed_text(title: str | None, lead: str | None) -> str:
    """What is embedded for an article: the title, then its lead sentences."""
    return "\n".join(part.strip() for part in (title, lead) if part and part.strip())
