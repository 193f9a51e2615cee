"""Summary answers: one story, its title, source, date, link and top sentences."""

from __future__ import annotations

from bot.answering import texts
from bot.answering.cards import article_card, header_card
from bot.answering.resolve import Resolution, resolve_story
from bot.catalogue.base import Catalogue
from bot.intents import Intent
from bot.messages import Answer, Visibility
from bot.models import ArticleKind
from bot.semantic import SemanticIndex


async def answer_summary(
    catalogue: Catalogue, story: str | None, k: int, semantic: SemanticIndex | None = None
) -> Answer:
    """Summarise the story the words point to, or say why not."""
    if not story or not story.strip():
        return Answer.note(Intent.SUMMARY, texts.WHICH_STORY)
    resolution = await resolve_story(catalogue, story, semantic)
    if resolution.article is None:
        return unresolved(Intent.SUMMARY, story, resolution)
    article = resolution.article
    card = article_card(article, k)
    if article.kind == ArticleKind.TEASER:
        return Answer(Intent.SUMMARY, f"{article.title}. {texts.TEASER_NOTE}", (card,),
                      notice=texts.TEASER_NOTE)
    return Answer(Intent.SUMMARY, f"Summary of \u201c{article.title}\u201d", (card,))


def unresolved(intent: Intent, words: str, resolution: Resolution) -> Answer:
    """The shared 'which story?' answer: ambiguous candidates or closest titles."""
    shown = words.strip()[:100]
    candidates = tuple(header_card(h) for h in resolution.candidates)
    if resolution.ambiguous:
        message = texts.AMBIGUOUS.format(words=shown)
    elif candidates and resolution.uncertain:
        message = texts.DID_YOU_MEAN.format(words=shown)
    elif candidates and resolution.newest:
        message = texts.NO_STORY_NEWEST.format(words=shown)
    elif candidates:
        message = texts.NO_STORY_SUGGEST.format(words=shown)
    else:
        message = texts.NO_STORY.format(words=shown)
    return Answer(intent, message, visibility=Visibility.EPHEMERAL, notice=message,
                  candidates=candidates)
