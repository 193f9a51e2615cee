"""Feed entries -> catalogue drafts: a link-less entry's stable identity, the article draft
(the page's text when it was read, else the feed's own text) and what is remembered of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.catalogue.identity import slugify
from bot.feeds.pages import PageText
from bot.feeds.parse import FeedEntry
from bot.feeds.store import SeenEntry, url_key
from bot.models import ArticleDraft, ArticleKind


@dataclass(frozen=True, slots=True)
class Item:
    """One new or changed feed entry and the article draft made from it."""

    entry: FeedEntry
    draft: ArticleDraft

    def seen(self, article_id: int | None) -> SeenEntry:
        """What ``feed_entries`` remembers of the entry once it is stored (as ``article_id``,
        None when it was the same story as one stored elsewhere)."""
        return SeenEntry(self.entry.key, self.entry.fingerprint, article_id,
                         self.draft.kind is ArticleKind.FULL)

    def where(self) -> str:
        """The entry as a rejection names it: its link, else its (shortened) title."""
        return self.entry.link or f"entry “{self.entry.title[:60]}”"


def entry_slug(feed_url: str, entry: FeedEntry) -> str | None:
    """A stable catalogue identity for an entry without a link but with a guid: derived from
    the feed and the guid, never from the text, so an edited entry updates its article instead
    of becoming a new one (the catalogue would otherwise know it only by its content hash).
    None for entries with a link (the canonical URL is their identity) or without a guid."""
    if entry.link or not entry.key.startswith("guid:"):
        return None
    guid = entry.key.removeprefix("guid:")
    digest = hashlib.sha256(f"{url_key(feed_url)}\n{guid}".encode()).hexdigest()[:16]
    readable = slugify(guid, max_length=40)
    return f"{readable}-{digest}" if readable else f"entry-{digest}"


def entry_draft(entry: FeedEntry, page: PageText | None, source: str,
                slug: str | None = None) -> ArticleDraft:
    """The article: the page's text when read, else the feed's text (an excerpt = teaser)."""
    if page is not None:
        return ArticleDraft(title=entry.title, paragraphs=page.paragraphs, url=entry.link,
                            source=source, byline=entry.author or page.author,
                            published_at=entry.published_at or page.published_at, slug=slug)
    kind = ArticleKind.FULL if entry.full_text else ArticleKind.TEASER
    return ArticleDraft(title=entry.title, paragraphs=entry.paragraphs, url=entry.link,
                        source=source, byline=entry.author, published_at=entry.published_at,
                        kind=kind, slug=slug)
