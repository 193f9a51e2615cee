"""Article pages -> main text with trafilatura (off the loop: it is CPU work on lxml trees).

Used when a feed carries only an excerpt (feed setting ``full_text``) and by
``newsbot ingest URL`` for a single page. trafilatura drops navigation, footers, scripts and
styles; the headline it repeats as the first line is removed so the title is not a paragraph.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura

from bot.feeds.offloop import off_loop
from bot.feeds.parse import text_to_paragraphs
from bot.safevalues import UnsafeValueError, iso_date, without_surrogates

MIN_PAGE_CHARS = 200  # less than this is a paywall, a cookie wall or an error page
FALLBACK_ENCODING = "cp1252"  # what browsers assume for undeclared, non-UTF-8 Western pages
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))

# trafilatura logs every page it finds too short at WARNING; that is our decision to report.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class PageText:
    """The main text of an article page."""

    title: str | None
    paragraphs: tuple[str, ...]
    author: str | None
    published_at: datetime | None


def decode_page(body: bytes, charset: str | None = None) -> str:
    """A page's text: the charset the server named, else a byte-order mark, else the page's
    ``<meta charset>``, else UTF-8 if it decodes cleanly, else cp1252 (as browsers do).
    Guessing from the bytes was tried by the extractor and read a cp1252 "crème brûlée" as
    Central European ("crčme brűlée"), so no statistical detection here."""
    for name in (charset, _bom(body), _meta_charset(body)):
        if name:
            try:
                # Some codecs a server may name (utf-7, unicode_escape) yield lone
                # surrogates, which the extractor refuses and nothing can store.
                return without_surrogates(body.decode(name, errors="replace"))
            except (LookupError, UnicodeError):
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode(FALLBACK_ENCODING, errors="replace")


def _bom(body: bytes) -> str | None:
    return next((name for mark, name in _BOMS if body.startswith(mark)), None)


def _meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii") if found else None


def extract_page(html: bytes | str, url: str | None = None) -> PageText | None:
    """The article's main text, or None when the page holds too little text to be one."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, include_images=False)
    if doc is None or isinstance(doc, dict):
        return None
    text = str(getattr(doc, "text", "") or "")
    title = str(getattr(doc, "title", "") or "").strip() or None
    paragraphs = text_to_paragraphs(text)
    if title and paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    if sum(map(len, paragraphs)) < MIN_PAGE_CHARS:
        return None
    author = str(getattr(doc, "author", "") or "").strip() or None
    return PageText(title, paragraphs, author, _date(getattr(doc, "date", None)))


def _date(value: object) -> datetime | None:
    """The page's date; None when missing, garbled or out of range (the page's text is still
    worth keeping: its date is only a fallback for the entry's)."""
    try:
        return iso_date(value)
    except UnsafeValueError:
        return None


async def extract_page_async(html: bytes | str, url: str | None = None) -> PageText | None:
    """``extract_page`` off the event loop (``offloop``: the feeds' worker threads)."""
    return await off_loop(extract_page, html, url)
