"""Feed documents -> entries: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

feedparser does not read JSON Feed, so ``parse_feed`` sniffs JSON first. A document that is
not well-formed is refused as a whole (``FeedParseError``) rather than salvaged by feedparser's
loose parser: a truncated feed would otherwise store its last entry cut short. HTML is turned
into paragraphs with script, style and other non-text elements removed (feedparser's sanitiser
does this for XML feeds; JSON Feed content gets the same treatment here).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.sax import SAXParseException

import feedparser
import lxml.html  # type: ignore[import-untyped]  # no stubs; pyproject is not mine to edit
from lxml import etree

from bot.catalogue.identity import canonical_url
from bot.safevalues import (
    UnsafeValueError,
    bad_value,
    has_lone_surrogate,
    iso_date,
    json_loads,
    utc_date,
    without_surrogates,
)
from bot.textutil import BIDI_CONTROLS, NON_SPACE_CONTROLS

log = logging.getLogger(__name__)

FULL_TEXT_MIN_CHARS = 700  # shorter feed content is treated as an excerpt
TITLE_WORDS = 14  # an untitled entry is titled with its first words
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
         "form", "button", "figure", "figcaption", "nav", "aside", "head", "title", "meta")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "section", "article", "header", "footer", "ul", "ol", "table", "tr", "dd", "dt",
           "br", "hr")
_BREAK = "\n\n"
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")
# The same controls file ingestion strips (C0, C1, bidi overrides), so a feed cannot carry
# terminal escapes or reorder what is shown either; white space is collapsed below.
_CONTROLS = re.compile(f"[{NON_SPACE_CONTROLS}\x0b{BIDI_CONTROLS}]")
_UNSAFE_IN_LINK = re.compile(f"[\x00-\x1f{NON_SPACE_CONTROLS}{BIDI_CONTROLS}]")
_HTMLISH = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_FEEDISH = re.compile(rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]",
                      re.I | re.S)
_JSON_FEED = "https://jsonfeed.org/version/"


class FeedParseError(ValueError):
    """The document is not a feed we can trust; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAFeedError(FeedParseError):
    """The document is an HTML page (``newsbot ingest URL`` then reads it as an article)."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry, cleaned. ``full_text``: the feed carried the whole story, not an excerpt."""

    key: str  # identity within the feed: canonical link, else guid, else content hash
    title: str
    paragraphs: tuple[str, ...]
    link: str | None
    published_at: datetime | None
    author: str | None
    full_text: bool
    fingerprint: str  # changes whenever the feed's version of the entry changes


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title, format and entries, plus the entries refused with a reason."""

    title: str
    format: str
    entries: tuple[FeedEntry, ...]
    rejected: tuple[tuple[str, str], ...] = ()


def text_to_paragraphs(text: str) -> tuple[str, ...]:
    """Plain text -> paragraphs (blank-line separated; single lines when there are no blanks)."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    parts = _PARAGRAPHS.split(text) if _PARAGRAPHS.search(text) else text.split("\n")
    return tuple(p for p in (_SPACES.sub(" ", part).strip() for part in parts) if p)


def html_to_paragraphs(html: str) -> tuple[str, ...]:
    """HTML -> paragraphs of plain text, without script, style, forms, figures and comments."""
    html = _CONTROLS.sub("", html)  # lxml refuses text holding control characters
    if "<" not in html:
        return text_to_paragraphs(lxml.html.fromstring(f"<p>{html}</p>").text_content()
                                  if "&" in html else html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return text_to_paragraphs(html)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # keeps their tails
    for node in [*root.iter(*_DROP)]:
        node.drop_tree()  # keeps the tail text that follows the element
    for node in root.iter(*_BLOCKS):
        # Character references (&#27;) decode to controls lxml will not take back as text.
        node.text = _BREAK + _CONTROLS.sub("", node.text or "")
        node.tail = _BREAK + _CONTROLS.sub("", node.tail or "")
    return text_to_paragraphs(root.text_content())


def html_to_text(html: str) -> str:
    """One line of plain text (titles, author names)."""
    return " ".join(html_to_paragraphs(html))


def parse_feed(body: bytes, url: str, content_type: str = "",
               charset: str | None = None) -> ParsedFeed:
    """Parse a fetched document; raises ``NotAFeedError`` for HTML, ``FeedParseError`` else."""
    if not body.strip():
        raise FeedParseError("empty response")
    if "json" in content_type or body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _parse_json_feed(body, url)
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    # Some servers label real feeds text/html: the body decides when it is clearly XML.
    if _HTMLISH.match(head) or ("html" in content_type and not _FEEDISH.match(head)):
        raise NotAFeedError(f"an HTML page, not a feed ({content_type or 'no content type'})")
    header = content_type + (f"; charset={charset}" if charset else "")
    # Blank lines before the XML declaration (a common plugin bug) make it ill-formed.
    body = body.lstrip(b" \t\r\n")
    # feedparser's HTML sanitiser and relative-link resolver are off: they re-parse every
    # entry's HTML in pure Python (seconds per MB of tag-dense markup), and only plain text is
    # kept here anyway, with scripts, styles and the like dropped by html_to_paragraphs.
    parsed = feedparser.parse(body, response_headers={"content-type": header or "text/xml",
                                                      "content-location": url},
                              sanitize_html=False, resolve_relative_uris=False)
    _check_bozo(parsed)
    if not parsed.get("version") and not parsed.entries:
        raise FeedParseError("not a feed: no RSS, Atom or JSON Feed found")
    entries, rejected = _collect(parsed.entries, url, _xml_entry)
    return ParsedFeed(_feed_title(parsed.feed.get("title"), url),
                      str(parsed.get("version") or "unknown"), entries, rejected)


def _feed_title(value: object, url: str) -> str:
    """The feed's own title as plain text, else its URL; a lone surrogate in a title is not
    worth refusing the feed for (it is stored, so it must be encodable)."""
    return without_surrogates(html_to_text(without_surrogates(str(value or "")))) or url


def _check_bozo(parsed: Any) -> None:
    """Refuse documents that are not well-formed; encoding overrides are harmless."""
    if not parsed.get("bozo"):
        return
    exc = parsed.get("bozo_exception")
    if isinstance(exc, SAXParseException):
        raise FeedParseError(f"malformed XML at line {exc.getLineNumber()}, column "
                             f"{exc.getColumnNumber()}: {exc.getMessage()}")
    harmless = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if not isinstance(exc, harmless) and not parsed.entries:
        raise FeedParseError(f"unreadable feed ({type(exc).__name__})")


def _collect(items: list[Any], base: str, build: Any
             ) -> tuple[tuple[FeedEntry, ...], tuple[tuple[str, str], ...]]:
    entries: list[FeedEntry] = []
    rejected: list[tuple[str, str]] = []
    keys: set[str] = set()
    for number, item in enumerate(items, start=1):
        try:
            entry: FeedEntry = build(item, base)
        except (FeedParseError, UnsafeValueError) as exc:
            rejected.append((f"entry {number}", exc.reason))
            continue
        except (OverflowError, RecursionError, UnicodeError) as exc:  # a value class missed
            rejected.append((f"entry {number}", f"unusable value ({type(exc).__name__})"))
            continue
        except Exception as exc:  # a bug must cost this entry only, never the feed
            log.exception("feed entry %s could not be read", number)
            rejected.append((f"entry {number}", f"could not be read ({type(exc).__name__})"))
            continue
        if entry.key not in keys:  # a feed listing one story twice keeps the first
            keys.add(entry.key)
            entries.append(entry)
    return tuple(entries), tuple(rejected)


def _xml_entry(item: Any, base: str) -> FeedEntry:
    contents = [c.get("value", "") for c in item.get("content") or []]
    body = max(contents, key=len, default="")
    summary = str(item.get("summary") or "")
    # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed with a
    # DeprecationWarning (an error under the test suite, and noise in production logs).
    parsed_time = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    author = item.get("author")
    return _entry(title=str(item.get("title") or ""), content=body, summary=summary,
                  link=item.get("link"), guid=item.get("id"), base=base,
                  published=_from_struct(parsed_time), author=author)


def _from_struct(value: time.struct_time | None) -> datetime | None:
    """feedparser's UTC time tuple as a date; ``UnsafeValueError`` outside the kept range."""
    if value is None:
        return None
    try:
        moment = datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return utc_date(moment)


def _entry(*, title: str, content: str, summary: str, link: object, guid: object, base: str,
           published: datetime | None, author: object) -> FeedEntry:
    """The common shape: the longer of content and summary is the text."""
    if any(isinstance(v, str) and has_lone_surrogate(v)
           for v in (title, content, summary, link, guid, author)):
        raise FeedParseError("text with a lone surrogate (not valid Unicode)")
    paragraphs = html_to_paragraphs(content) if content else ()
    summary_paragraphs = html_to_paragraphs(summary) if summary else ()
    if sum(map(len, summary_paragraphs)) > sum(map(len, paragraphs)):
        paragraphs = summary_paragraphs
    clean_title = html_to_text(title)
    if not clean_title:
        words = " ".join(paragraphs).split()
        if not words:
            raise FeedParseError("no title and no text")
        clean_title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    href = urljoin(base, link.strip()) if isinstance(link, str) and link.strip() else None
    if href is not None and not href.startswith(("http://", "https://")):
        href = None  # javascript:, mailto:, data: links are not article addresses
    if href is not None and _UNSAFE_IN_LINK.search(href):
        href = None  # control characters: not an address, and unsafe to show anywhere
    if href is not None:
        href = _without_userinfo(href)
    full = sum(map(len, paragraphs)) >= FULL_TEXT_MIN_CHARS
    text = "\n\n".join((clean_title, *paragraphs))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = (f"url:{canonical_url(href)}" if href else
           f"guid:{guid}" if isinstance(guid, str) and guid.strip() else f"hash:{digest}")
    print_date = published.isoformat() if published else ""
    fingerprint = hashlib.sha256(f"{digest}|{href}|{print_date}|{author}".encode()).hexdigest()
    return FeedEntry(key=key, title=clean_title, paragraphs=paragraphs, link=href,
                     published_at=published, full_text=full, fingerprint=fingerprint,
                     author=html_to_text(author) or None if isinstance(author, str) else None)


def _without_userinfo(url: str) -> str:
    """``url`` without a user name or password: the link is stored and shown to every reader,
    and the fetcher refuses such URLs anyway."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        # Nesting too deep for json.loads is cut out where it is (the entry holding it is
        # refused below), so one deep entry does not cost the feed.
        data = json_loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedParseError("JSON Feed is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise FeedParseError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: "
                             f"{exc.msg}") from None
    except UnsafeValueError as exc:
        raise FeedParseError(exc.reason) from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(_JSON_FEED):
        raise FeedParseError("JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedParseError("JSON Feed without an items list")
    version = str(data["version"]).removeprefix(_JSON_FEED)
    home = data.get("home_page_url")
    # The base every relative link is joined to: one bad value here must not cost every entry.
    base = home if isinstance(home, str) and home and bad_value(home) is None else url
    entries, rejected = _collect(items, base, _json_entry)
    return ParsedFeed(_feed_title(data.get("title"), url), f"json{version}", entries,
                      rejected)


def _json_entry(item: Any, base: str) -> FeedEntry:
    if not isinstance(item, dict):
        raise FeedParseError("not a JSON object")
    if (why := bad_value(item)) is not None:  # lone surrogates, nesting cut as too deep
        raise FeedParseError(why)
    html = item.get("content_html")
    plain = item.get("content_text")
    content = html if isinstance(html, str) else ""
    if not content and isinstance(plain, str):
        content = "".join(f"<p>{lxml_escape(p)}</p>" for p in text_to_paragraphs(plain))
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    if not isinstance(authors, list):
        authors = []  # a malformed author costs the byline, not the entry
    author = next((a.get("name") for a in authors if isinstance(a, dict) and a.get("name")),
                  None)
    return _entry(title=str(item.get("title") or ""), content=content,
                  summary=str(item.get("summary") or ""),
                  link=item.get("url") or item.get("external_url"), guid=item.get("id"),
                  base=base, author=author,
                  published=iso_date(item.get("date_published") or item.get("date_modified")))


def lxml_escape(text: str) -> str:
    """Escape plain text for re-reading as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

