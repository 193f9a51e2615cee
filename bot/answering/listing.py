"""Latest stories and search results: one-line cards."""

from __future__ import annotations

from bot.answering import texts
from bot.answering.cards import header_card
from bot.catalogue.base import Catalogue
from bot.intents import Intent, clamp_count
from bot.messages import Answer


async def answer_latest(catalogue: Catalogue, count: int, note: str | None = None) -> Answer:
    """The newest ``count`` stories, newest first; ``note`` says why the count differs from
    the one asked for."""
    headers = await catalogue.latest(clamp_count(count))
    if not headers:
        return Answer.note(Intent.LATEST, texts.EMPTY_CATALOGUE)
    noun = "story" if len(headers) == 1 else "stories"
    return Answer(Intent.LATEST, f"The {len(headers)} newest {noun}",
                  tuple(header_card(h) for h in headers), notice=note)


async def answer_search(catalogue: Catalogue, words: str | None, limit: int) -> Answer:
    """Stories matching the words, best first."""
    if not words or not any(ch.isalnum() for ch in words):  # "search" or 'search ""'
        return Answer.note(Intent.SEARCH, texts.NO_SEARCH_WORDS)
    headers = await catalogue.search(words, limit)
    shown = words.strip()[:100]
    if not headers:
        message = f"No stories match \u201c{shown}\u201d."
        return Answer.note(Intent.SEARCH, message)
    return Answer(Intent.SEARCH, f"Stories matching \u201c{shown}\u201d",
                  tuple(header_card(h) for h in headers))
