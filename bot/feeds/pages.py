"""Article pages -> main text with trafilatura (in a thread: it is CPU work on lxml trees).

Used when a feed carries only an excerpt (feed setting ``full_text``) and by
``newsbot ingest URL`` for a single page. trafilatura drops navigation, footers, scripts and
styles; the headline it repeats as the first line is removed so the title is not a paragraph.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

from bot.feeds.parse import text_to_paragraphs

MIN_PAGE_CHARS = 200  # less than this is a paywall, a cookie wall or an error page

# trafilatura logs every page it finds too short at WARNING; that is our decision to report.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class PageText:
    """The main text of an article page."""

    title: str | None
    paragraphs: tuple[str, ...]
    author: str | None
    published_at: datetime | None


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
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


async def extract_page_async(html: bytes | str, url: str | None = None) -> PageText | None:
    """``extract_page`` off the event loop."""
    return await asyncio.to_thread(extract_page, html, url)
