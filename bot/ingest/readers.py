"""Read articles from files: plain text (and Markdown), JSON Lines, HTML pages and feed
documents (the last two through ``markup``: the feeds' page extractor and feed parser).

Plain text: the first non-empty line is the title, paragraphs are separated by blank lines, and
the site furniture after the article is cut off (``furniture``); the teasers listed under
"Recent Stories" become drafts of kind ``teaser``. Files are decoded as UTF-8, else cp1252, else
Latin-1. A file that cannot be an article is rejected with a reason, never half-read.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.catalogue.identity import slugify
from bot.ingest import furniture
from bot.ingest.walk import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    SUFFIXES,
    TEXT_SUFFIXES,
    Found,
    Rejection,
    display_path,
    find_articles,
    not_regular,
)
from bot.models import ArticleDraft, ArticleKind
from bot.safevalues import UnsafeValueError, checked_text, holds_too_deep, json_loads, utc_moment
from bot.textutil import BIDI_CONTROLS, NON_SPACE_CONTROLS

__all__ = [
    "JSONL_SUFFIXES",
    "MAX_BYTES",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "Found",
    "ReadResult",
    "RejectedFileError",
    "Rejection",
    "content_region",
    "decode",
    "find_articles",
    "jsonl_draft",
    "parse_article",
    "parse_jsonl",
    "parse_published",
    "read_file",
    "read_text",
]
MAX_BYTES = 2 * 1024 * 1024
MAX_JSONL_BYTES = 256 * 1024 * 1024
# Pages and feeds carry scripts, styles and markup around the text: they may be this many
# times the size of a text file (10 MB by default, twice the feeds' fetch limit).
MARKUP_FACTOR = 5
_BOMS = ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CONTROL = re.compile(f"[{NON_SPACE_CONTROLS}]")  # many of them: a binary file
_STRIPPED = re.compile(f"[{NON_SPACE_CONTROLS}{BIDI_CONTROLS}]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
MAX_NON_ASCII_SHARE = 0.3


class RejectedFileError(ValueError):
    """A file (or JSON line) that is not an article; the message is the reason."""


@dataclass(slots=True)
class ReadResult:
    """The drafts read from one file and what was rejected in it."""

    drafts: list[ArticleDraft] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (BOM allowed) or UTF-16 with a BOM, else cp1252, else Latin-1.

    Raises ``RejectedFileError`` for binary data: NUL bytes, many control characters or
    undecodable characters, or (decoded by the single-byte fallbacks) mostly non-ASCII bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding, errors="strict"))
            except UnicodeDecodeError:
                raise RejectedFileError("not valid UTF-16 (it starts with a UTF-16 mark)") from None
    if b"\x00" in data:
        raise RejectedFileError("binary file (NUL bytes)")
    try:
        return _checked(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return _checked(text, single_byte=True)


def _checked(text: str, *, single_byte: bool = False) -> str:
    size = max(1, len(text))
    controls = _CONTROL.subn("", text)[1]  # counted in C: files are up to MAX_BYTES
    if "\x00" in text or controls > max(4, size // 200):
        raise RejectedFileError("binary file (control characters)")
    if text.count("\ufffd") > max(4, size // 100):
        raise RejectedFileError("not text (many undecodable characters)")
    # Western text in cp1252/Latin-1 is mostly ASCII (a £ or an é here and there); random bytes
    # decoded that way are mostly accented letters and symbols.
    if single_byte and _NON_ASCII.subn("", text)[1] > MAX_NON_ASCII_SHARE * size:
        raise RejectedFileError("binary file or unknown encoding (mostly non-ASCII bytes)")
    return text


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab and line breaks kept; form feed and vertical
    tab become spaces) and without bidi embedding/override/isolate controls, so stored titles
    and bodies cannot carry terminal escapes or reorder what is shown."""
    return _STRIPPED.sub("", text.replace("\f", " ").replace("\v", " "))


def read_text(path: Path, max_bytes: int = MAX_BYTES, *, follow_link: bool = True) -> str:
    """The decoded text of a file; ``OSError`` when unreadable, ``RejectedFileError`` when it
    is too large, binary, empty or not a regular file. With ``follow_link`` False a path that
    is (now) a symbolic link is refused (``find_articles`` has already resolved the links it
    allows, so one appearing later is a swap)."""
    text = decode(read_bounded(path, max_bytes, follow_link=follow_link))
    if not text.strip():
        raise RejectedFileError("empty file")
    return text


def read_bounded(path: Path, max_bytes: int, *, follow_link: bool = True) -> bytes:
    """At most ``max_bytes`` of a regular file. The size is checked on what is read, not on
    ``st_size`` alone (a device says 0 and never ends); FIFOs, devices and sockets are refused
    before reading (opened non-blocking, so a FIFO without a writer cannot hang the open)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_link:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RejectedFileError(not_regular(info.st_mode))
        if info.st_size > max_bytes:
            raise RejectedFileError(f"too large ({_mb(info.st_size)} > {_mb(max_bytes)})")
        file = open(fd, "rb")  # noqa: SIM115 - owns the descriptor from here, closed below
    except BaseException:
        os.close(fd)
        raise
    with file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RejectedFileError(f"too large (> {_mb(max_bytes)})")
    return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def content_region(text: str) -> str:
    """``text`` cut before the site furniture (a prefix of it, so offsets into the result are
    offsets into ``text``), without trailing whitespace."""
    raw_lines = text.splitlines(keepends=True)
    cut = furniture.furniture_start([line.rstrip() for line in raw_lines])
    return "".join(raw_lines[:cut]).rstrip()


def _paragraphs(lines: Iterable[str]) -> tuple[str, ...]:
    """Blank-line separated paragraphs; a paragraph's lines are joined by a space; share and
    newsletter lines are dropped."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        text = line.strip()
        if text and not furniture.is_share_line(text):
            current.append(text)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return tuple(paragraphs)


def parse_article(
    text: str, *, slug: str | None, source: str | None = None, markdown: bool = False,
    origin: str | None = None,
) -> list[ArticleDraft]:
    """The article in ``text`` (first) and the teasers listed in its furniture; ``origin`` (the
    file's absolute path) is the article's identity, teasers are known by their title."""
    lines = _lines(strip_controls(text))
    first = furniture.title_index(lines)
    if first is None:
        raise RejectedFileError("empty file")
    cut = furniture.furniture_start(lines)
    title = lines[first].strip()
    if markdown:
        title = title.lstrip("#").strip()
    body = _paragraphs(lines[first + 1 : cut])
    if not title or not body:
        raise RejectedFileError("no body (only a title)")
    drafts = [
        ArticleDraft(title=title, paragraphs=body, slug=slug, source=source, origin=origin)
    ]
    for teaser in furniture.teasers(lines[cut:]):
        drafts.append(
            ArticleDraft(
                title=teaser.title,
                paragraphs=(teaser.lede,),
                kind=ArticleKind.TEASER,
                slug=slugify(teaser.title) or None,
                source=source,
            )
        )
    return drafts


def parse_published(value: object) -> datetime | None:
    """An aware UTC datetime from ISO 8601 text (naive is taken as UTC); None when absent.
    Dates no arithmetic could handle (year 1, year 9999 with an offset) are refused."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RejectedFileError("published_at is not a string")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RejectedFileError(f"published_at is not an ISO 8601 date: {value[:40]!r}") from None
    try:
        return utc_moment(moment, "published_at")
    except UnsafeValueError as exc:
        raise RejectedFileError(str(exc)) from None


def _optional_text(record: dict[str, Any], key: str) -> str | None:
    """A one-line field (title, slug, url, source, byline): a line break in it would forge a
    line wherever it is listed, so every run of whitespace becomes one space."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RejectedFileError(f"{key} is not a string")
    return " ".join(_storable(value, key).split()) or None


def _storable(value: str, what: str) -> str:
    """``value`` without controls, or ``RejectedFileError`` when it cannot be encoded."""
    try:
        return checked_text(strip_controls(value).strip(), what)
    except UnsafeValueError as exc:
        raise RejectedFileError(str(exc)) from None


def jsonl_draft(record: object) -> ArticleDraft:
    """One JSON Lines record as a draft (``title``, ``body``; optional ``url``,
    ``published_at``, ``source``, ``byline``, ``slug``)."""
    if not isinstance(record, dict):
        raise RejectedFileError("not a JSON object")
    title = _optional_text(record, "title")
    body = record.get("body")
    if not title:
        raise RejectedFileError("missing title")
    if not isinstance(body, str):
        raise RejectedFileError("missing body")
    paragraphs = _paragraphs(_lines(_storable(body, "body")))
    if not paragraphs:
        raise RejectedFileError("empty body")
    return ArticleDraft(
        title=" ".join(title.split()),
        paragraphs=paragraphs,
        slug=_optional_text(record, "slug"),
        url=_optional_text(record, "url"),
        source=_optional_text(record, "source"),
        byline=_optional_text(record, "byline"),
        published_at=parse_published(record.get("published_at")),
    )


def parse_jsonl(text: str, where: str, max_line_bytes: int = MAX_BYTES) -> ReadResult:
    """Every good line as a draft; bad lines rejected as ``where:LINE`` with a reason."""
    result = ReadResult()
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            if len(line) > max_line_bytes:
                raise RejectedFileError(f"line too large (> {_mb(max_line_bytes)})")
            try:
                record = json_loads(line)
            except json.JSONDecodeError as exc:
                raise RejectedFileError(f"invalid JSON ({exc.msg})") from None
            except UnsafeValueError as exc:
                raise RejectedFileError(str(exc)) from None
            if holds_too_deep(record):  # json_loads cut a part out: refuse the line
                raise RejectedFileError("JSON nested too deeply")
            result.drafts.append(jsonl_draft(record))
        except RejectedFileError as exc:
            result.rejected.append(Rejection(f"{where}:{number}", str(exc)))
    if not result.drafts and not result.rejected:
        result.rejected.append(Rejection(where, "empty file"))
    return result


def read_file(path: Path, slug: str | None, max_bytes: int = MAX_BYTES) -> ReadResult:
    """Drafts from one file (any suffix but ``.jsonl`` is read as plain text)."""
    real = path.resolve()
    return read_found(Found(real, slug, str(real), display_path(path)), max_bytes)


def read_found(found: Found, max_bytes: int = MAX_BYTES) -> ReadResult:
    """Drafts from a file ``find_articles`` found; its links are already resolved, so a link
    met now is refused."""
    path, where = found.path, found.where or display_path(found.path)
    try:
        if path.suffix.lower() in HTML_SUFFIXES | FEED_SUFFIXES:
            return _read_markup(found, where, max_bytes)
        if path.suffix.lower() in JSONL_SUFFIXES:
            text = read_text(path, max(max_bytes, MAX_JSONL_BYTES), follow_link=False)
            return parse_jsonl(text, where, max_bytes)
        text = read_text(path, max_bytes, follow_link=False)
        markdown = path.suffix.lower() == ".md"
        drafts = parse_article(text, slug=found.slug, markdown=markdown, origin=found.origin)
        return ReadResult(drafts=drafts)
    except RejectedFileError as exc:
        return ReadResult(rejected=[Rejection(where, str(exc))])
    except OSError as exc:
        return ReadResult(rejected=[Rejection(where, f"unreadable ({exc.strerror or exc})")])


def _read_markup(found: Found, where: str, max_bytes: int) -> ReadResult:
    """An HTML page or a feed document, read through ``read_bounded`` like any file."""
    from bot.ingest import markup  # the extractor and feed parser load only when needed

    data = read_bounded(found.path, max_bytes * MARKUP_FACTOR, follow_link=False)
    if not data.strip():
        raise RejectedFileError("empty file")
    try:
        if found.path.suffix.lower() in HTML_SUFFIXES:
            return ReadResult(markup.page_drafts(data, slug=found.slug, origin=found.origin))
        drafts, rejected = markup.feed_drafts(data, found.path, where)
    except markup.NotAnArticleError as exc:
        raise RejectedFileError(str(exc)) from None
    return ReadResult(drafts, rejected)
