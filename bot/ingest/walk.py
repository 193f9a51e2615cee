"""Find the article files under the paths given to an ingest, following nothing outside them.

A folder is walked with an explicit stack (nesting costs a list entry, not a stack frame), at
most ``MAX_DEPTH`` levels down. Inside a folder a symbolic link is followed only to a regular
file inside that same folder; a link to a folder is never followed (so no loop, and no file is
reached twice), and a link out of the folder, broken or looping is skipped with its reason.
FIFOs, devices and sockets are refused: reading one blocks or never ends. A name that is not
valid UTF-8 or holds control characters is refused too, and every name in a report is shown
escaped, so a newline in a file name cannot forge a line of the report.

A path named on the command line is the user's own choice and is followed if it is a link.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

MAX_DEPTH = 64
TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl"})
HTML_SUFFIXES = frozenset({".html", ".htm"})  # read by the page extractor
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})  # read by the feed parser
SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
# C0/C1 controls, DEL, line/paragraph separators and bidi controls: anything that could break
# a line of a report or reorder it.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Rejection:
    """Where (``path`` or ``path:line``, printable) and why something was not ingested."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Found:
    """A file to read, the slug its article gets (None for JSON Lines), its absolute path (the
    article's identity) and its printable name for reports."""

    path: Path
    slug: str | None
    origin: str | None = None
    where: str = ""


def display_path(path: Path | str) -> str:
    """``path`` as one printable line: bytes that are not UTF-8 as ``\\xNN``, control and bidi
    characters as ``\\xNN``/``\\uNNNN`` escapes."""
    text = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def name_problem(name: str) -> str | None:
    """Why ``name`` (a path or slug) cannot be stored, or None when it can."""
    try:
        os.fsencode(name).decode("utf-8")
    except UnicodeDecodeError:
        return "file name is not valid UTF-8; rename the file"
    if _UNSAFE.search(name):
        return "file name holds control characters (a line break or similar); rename the file"
    return None


def _kind_name(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(mode: int) -> str:
    """The reason a file of this mode is refused."""
    return f"not a regular file ({_kind_name(mode)}), not read"


class _Walk:
    """The files and rejections of one ingest's paths."""

    def __init__(self) -> None:
        self.found: list[Found] = []
        self.skipped: list[Rejection] = []

    def skip(self, path: Path | str, reason: str) -> None:
        self.skipped.append(Rejection(display_path(path), reason))

    def add(self, path: Path, read: Path, slug: str) -> None:
        """A candidate file: ``slug`` its name without extension, ``read`` the file to open."""
        if path.suffix.lower() not in SUFFIXES:
            self.skip(path, f"unsupported file type ({display_path(path.suffix)})")
            return
        origin = str(read)
        problem = name_problem(slug) or name_problem(origin)
        if problem:
            self.skip(path, problem)
            return
        is_jsonl = read.suffix.lower() in JSONL_SUFFIXES  # read as what it really is
        self.found.append(Found(read, None if is_jsonl else slug, origin, display_path(path)))

    def given(self, given: Path) -> None:
        try:
            mode = given.stat().st_mode
        except FileNotFoundError:
            self.skip(given, "not found")
            return
        except (OSError, RuntimeError) as exc:
            self.skip(given, f"unreadable ({_reason(exc)})")
            return
        if stat.S_ISDIR(mode):
            self.folder(given)
        elif stat.S_ISREG(mode):
            self.add(given, given.resolve(), given.stem)
        else:
            self.skip(given, not_regular(mode))

    def folder(self, root: Path) -> None:
        real_root = root.resolve()
        start = len(self.found)
        stack: list[tuple[Path, int]] = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                self.skip(folder, f"unreadable folder ({_reason(exc)})")
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                child = self.entry(entry, path, root, real_root)
                if child is None:
                    continue
                if depth + 1 > MAX_DEPTH:
                    self.skip(path, f"folder nested more than {MAX_DEPTH} levels deep, not read")
                else:
                    stack.append((child, depth + 1))
        self.found[start:] = sorted(self.found[start:], key=lambda f: f.where)

    def entry(
        self, entry: os.DirEntry[str], path: Path, root: Path, real_root: Path
    ) -> Path | None:
        """Add a file entry; return a sub-folder to walk (None otherwise)."""
        try:
            if entry.is_symlink():
                self.link(path, root, real_root)
                return None
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            self.skip(path, f"unreadable ({_reason(exc)})")
            return None
        if stat.S_ISDIR(mode):
            return path
        if stat.S_ISREG(mode):
            self.add(path, real_root / path.relative_to(root), _slug(path, root))
        elif path.suffix.lower() in SUFFIXES:
            self.skip(path, not_regular(mode))
        return None

    def link(self, path: Path, root: Path, real_root: Path) -> None:
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a loop (Python 3.11)
            self.skip(path, "symbolic link that is broken or loops, not followed")
            return
        if not target.is_relative_to(real_root):
            self.skip(path, "symbolic link to outside the folder given, not followed")
            return
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            self.skip(path, "symbolic link to a folder, not followed (its files are read "
                            "where they are)")
        elif stat.S_ISREG(mode):
            self.add(path, target, _slug(path, root))
        else:
            self.skip(path, not_regular(mode))


def _slug(path: Path, root: Path) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


def file_url_path(url: str) -> Path:
    """The local path a ``file://`` URL names (``file:///srv/a.html``, ``file://localhost/...``,
    percent-escapes decoded); ``ValueError`` with the reason for another host, a query, a
    fragment or no path. Only ``newsbot ingest`` (the operator, on the server) takes these:
    chat users never name the server's files."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "file":
        raise ValueError("not a file:// URL")
    if parts.netloc and parts.netloc.lower() != "localhost":
        raise ValueError(f"a file:// URL on another host ({display_path(parts.netloc)}) "
                         "cannot be read; give a local path")
    if parts.query or parts.fragment:
        raise ValueError("a file:// URL with a query or fragment; give the file's path")
    if not parts.path.startswith("/"):
        raise ValueError("a file:// URL needs an absolute path (file:///path/to/file)")
    return Path(url2pathname(parts.path))


def find_articles(paths: Sequence[Path]) -> tuple[list[Found], list[Rejection]]:
    """Files to read under ``paths`` (each folder's files in order of name) and the ones
    skipped, with their reasons.

    The slug of a file in a folder is its path relative to that folder without the extension
    (``business/021``); a file given by itself gets its stem.
    """
    walk = _Walk()
    for given in paths:
        walk.given(given)
    return walk.found, walk.skipped
