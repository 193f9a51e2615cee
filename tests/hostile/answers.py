"""Answers with a hostile string in every slot the renderers fill from article or user text."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.urls import safe_http_url
from bot.intents import Intent
from bot.messages import Answer, Card, QuoteLine, Visibility

STORY_URL = "https://news.example/story_(1)|x>"
#: The only link targets a rendered answer may hold: the card's own URL, made safe.
DISCORD_LINKS = frozenset({safe_http_url(STORY_URL, 2048) or ""})
SLACK_LINKS = frozenset({(safe_http_url(STORY_URL, 3000) or "").replace("&", "&amp;")})
WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def card_of(text: str, *, url: str | None = STORY_URL) -> Card:
    """A story whose every text is ``text``."""
    return Card(
        title=text,
        ref="hostile-1",
        body=f"{text}. {text}",
        url=url,
        source=text,
        published_at=WHEN,
        kind="teaser",
        summary=(text, f"Then {text}."),
        quotes=(
            QuoteLine(text, text, text, "direct", True),
            QuoteLine(text, "said", text, "reported", False),
        ),
        fields=((text, text),),
    )


def answers_of(text: str) -> list[Answer]:
    """A story answer, a notice with candidates and a private error, all carrying ``text``."""
    card = card_of(text)
    return [
        Answer(intent=Intent.SUMMARY, lead=text, cards=(card,), notice=text),
        Answer(
            intent=Intent.STORY,
            lead=text,
            notice=text,
            candidates=(card, card_of(text, url=None), card),
        ),
        Answer(intent=Intent.HELP, lead=text, notice=text, visibility=Visibility.EPHEMERAL),
    ]
