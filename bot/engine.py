"""The platform-neutral engine: ``Engine.answer(Query) -> Answer``.

Answering is a catalogue lookup plus light text work: no NLP model is loaded here.
User mistakes come back as an ``Answer`` with a notice; only unexpected failures raise, and the
adapter's single error handler reports those with a reference id.
"""

from __future__ import annotations

from bot.answering import texts
from bot.answering.listing import answer_latest, answer_search
from bot.answering.quotes import answer_quotes
from bot.answering.resolve import resolve_story
from bot.answering.summary import answer_summary, unresolved
from bot.catalogue.base import Catalogue
from bot.catalogue.terms import drop_stray_marks
from bot.intents import MAX_QUESTION_CHARS, Intent, ParsedQuery, clean_text, from_command, parse
from bot.messages import Answer, Query, Visibility
from bot.semantic import SemanticIndex
from bot.settings import AnswerSettings

AUTOCOMPLETE_LABEL = 100
# A bound on the work one question may cost before it is refused (even collapsing its white
# space reads all of it); far above what any platform delivers in one message (Discord: 2,000
# characters of content; Slack truncates text past 40,000), so only a runaway
# caller meets it. Questions are then held to MAX_QUESTION_CHARS once cleaned.
MAX_INPUT_CHARS = 1_000_000


class Engine:
    """Answers questions from the stored article catalogue."""

    def __init__(
        self,
        catalogue: Catalogue,
        settings: AnswerSettings | None = None,
        semantic: SemanticIndex | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.settings = settings or AnswerSettings()
        # Optional: without it, stories are found by their words alone.
        self.semantic = semantic

    async def answer(self, query: Query) -> Answer:
        """Answer one query (a slash command with options, or free text)."""
        if query.command:
            args = {k: drop_stray_marks(clean_text(v))[:MAX_QUESTION_CHARS]
                    for k, v in query.args}
            return await self.answer_parsed(from_command(query.command, args))
        if len(query.text) > MAX_INPUT_CHARS:  # bounded work, whatever arrives
            return _too_long(len(query.text))
        # White space is collapsed first (fast, in C): padding is not a long question.
        spaced = " ".join(query.text.split())
        if len(spaced) > MAX_QUESTION_CHARS * 4:  # checked before the per-character cleaning
            return _too_long(len(spaced))
        # Marks stacked on letters ("Zalgo") would cut words into single letters.
        text = drop_stray_marks(clean_text(spaced))
        if not text:
            return Answer.note(Intent.HELP, texts.EMPTY_QUESTION)
        if len(text) > MAX_QUESTION_CHARS:
            return _too_long(len(text))
        return await self.answer_parsed(parse(text))

    async def answer_parsed(self, pq: ParsedQuery) -> Answer:
        """Answer an already classified question."""
        s = self.settings
        match pq.intent:
            case Intent.HELP if pq.topic:
                message = texts.MANAGE.format(what=pq.topic)
                return Answer.note(Intent.HELP, message)
            case Intent.HELP:
                return Answer(Intent.HELP, texts.HELP_TEXT, visibility=Visibility.EPHEMERAL)
            case Intent.SUMMARY:
                return await answer_summary(self.catalogue, pq.story, s.summary_sentences,
                                            self.semantic)
            case Intent.QUOTE:
                return await answer_quotes(self.catalogue, pq, s.max_quotes, self.semantic)
            case Intent.LATEST:
                return await answer_latest(self.catalogue, pq.count or s.latest_default, pq.note)
            case Intent.SEARCH:
                return await answer_search(self.catalogue, pq.query, s.latest_default)
            case Intent.STORY:
                return await self._story(pq.story or "")
            case Intent.DIGEST | Intent.FEEDS | Intent.STORIES:  # commands of their own
                return Answer.note(Intent.HELP, texts.MANAGE.format(what=pq.intent.value))

    async def _story(self, words: str) -> Answer:
        """Unclassified text: summarise the story it names, or list what matches."""
        resolution = await resolve_story(self.catalogue, words, self.semantic)
        if resolution.article is not None:
            return await answer_summary(self.catalogue, resolution.article.slug,
                                        self.settings.summary_sentences)
        return unresolved(Intent.SUMMARY, words, resolution)

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for a story: (label shown, value = article slug), at most ``limit``."""
        limit = max(1, min(25, limit))
        prefix = clean_text(prefix)[:100]
        if prefix:
            headers = await self.catalogue.titles(prefix, limit)
            if len(headers) < limit:
                known = {h.id for h in headers}
                extra = await self.catalogue.search(prefix, limit)
                headers += [h for h in extra if h.id not in known][: limit - len(headers)]
        else:
            headers = await self.catalogue.latest(limit)
        return [(_label(h.title), h.slug) for h in headers]

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for a speaker name, at most ``limit``."""
        return await self.catalogue.speakers(clean_text(prefix)[:100], max(1, min(25, limit)))


def _label(title: str) -> str:
    return title if len(title) <= AUTOCOMPLETE_LABEL else title[: AUTOCOMPLETE_LABEL - 1] + "…"



def _too_long(size: int) -> Answer:
    return Answer.note(Intent.HELP, texts.TOO_LONG.format(size=size, limit=MAX_QUESTION_CHARS))
