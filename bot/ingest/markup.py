"""Article files in markup: an HTML page (``.html``, ``.htm``) is read by the page extractor
the feeds use for article pages, a feed document (``.xml``, ``.rss``, ``.atom``) by the feed
parser, each entry becoming an article. The bytes come through ``read_bounded`` like every
other file (regular files only, a size limit on what is read, no link followed now), so a page
or feed on disk gets the same hardening as a text file."""

from __future__ import annotations

from pathlib import Path

from bot.feeds.entries import entry_draft, entry_slug
from bot.feeds.pages import decode_page, extract_page
from bot.feeds.parse import FeedParseError, parse_feed
from bot.ingest.walk import Rejection
from bot.models import ArticleDraft


class NotAnArticleError(ValueError):
    """The file holds no article: the message says why."""


def page_drafts(data: bytes, *, slug: str | None, origin: str | None) -> list[ArticleDraft]:
    """The article of an HTML page file (its main text, title, author and date), the way a
    page a feed links to is read."""
    page = extract_page(decode_page(data))
    if page is None:
        raise NotAnArticleError("no article text found in the page (too little text outside "
                                "navigation, scripts and footers)")
    if not page.title:
        raise NotAnArticleError("the page has no title")
    draft = ArticleDraft(title=" ".join(page.title.split()), paragraphs=page.paragraphs,
                         slug=slug, origin=origin, byline=page.author,
                         published_at=page.published_at)
    return [draft]


def feed_drafts(data: bytes, path: Path, where: str
                ) -> tuple[list[ArticleDraft], list[Rejection]]:
    """Each entry of a feed file as an article (an excerpt is a teaser, as when polled), and
    the entries refused with their reasons."""
    url = path.as_uri()
    try:
        feed = parse_feed(data, url, "application/xml")
    except FeedParseError as exc:
        raise NotAnArticleError(exc.reason) from None
    drafts = [entry_draft(entry, None, feed.title, entry_slug(url, entry))
              for entry in feed.entries]
    rejected = [Rejection(f"{where} ({what})", reason) for what, reason in feed.rejected]
    if not drafts and not rejected:
        rejected.append(Rejection(where, "a feed with no entries"))
    return drafts, rejected
