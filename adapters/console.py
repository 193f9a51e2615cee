"""The console adapter: plain-text answers in a terminal, for trying newsbot with no tokens."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.answering.texts import ESTIMATED_DATE
from bot.intents import clean_text
from bot.messages import Answer, Card, Place, Query, QuoteLine, User

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.ports import ChatAdapter
    from bot.settings import Settings

PROMPT = "newsbot> "
CONSOLE_PLACE = Place(platform="console", channel="terminal", is_direct=True)
CONSOLE_USER = User(id="console", name="you", can_manage=True)


def _date(card: Card) -> str:
    if card.published_at is None:
        return ""
    day = card.published_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{day} ({ESTIMATED_DATE})" if card.published_estimated else day


def _quote(line: QuoteLine) -> str:
    text = clean_text(line.text)
    if line.verbatim:
        return f"  {line.speaker} ({line.cue}): \u201c{text}\u201d"
    return f"  {line.speaker} ({line.cue}, reported): {text}"


def render_card(card: Card, full: bool) -> list[str]:
    """One story as lines of text."""
    meta = " · ".join(p for p in (card.source, _date(card), card.url) if p)
    lines = [clean_text(card.title) + ("  [teaser only]" if card.kind == "teaser" else "")]
    if meta:
        lines.append("  " + clean_text(meta))
    if full and card.summary:
        lines.extend(f"  - {clean_text(s)}" for s in card.summary)
    elif card.body:
        lines.append("  " + clean_text(card.body))
    if card.quotes:
        lines.append("  Quotes:")
        lines.extend(_quote(q) for q in card.quotes)
    return lines


def render(answer: Answer) -> str:
    """An answer as plain text, control characters removed (no terminal escapes from text)."""
    out = [answer.lead if answer.intent == "help" else clean_text(answer.lead)]
    if answer.notice and answer.notice not in answer.lead:  # a caveat beside the answer
        out.insert(0, f"Note: {clean_text(answer.notice)}")
    full = answer.intent in ("summary", "quote")
    for card in answer.cards:
        out.append("")
        out.extend(render_card(card, full))
    if answer.candidates:
        out.append("")
        out.extend(f"  * {clean_text(c.title)}  [{c.article_id}]" for c in answer.candidates)
    return "\n".join(out)


async def chat(engine: Engine) -> None:
    """Read questions from standard input until EOF or 'quit'."""
    print("Ask about the news (\"help\" for examples, \"quit\" to leave).")
    while True:
        try:
            line = await asyncio.to_thread(input, PROMPT)
        except EOFError:
            print()
            return
        if line.strip().casefold() in {"quit", "exit", ":q"}:
            return
        query = Query(text=line, user=CONSOLE_USER, place=CONSOLE_PLACE,
                      received_at=datetime.now(UTC))
        print(render(await engine.answer(query)))
        sys.stdout.flush()


class ConsoleAdapter:
    """Runs the interactive prompt as a ``ChatAdapter``."""

    name = "console"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Serve the prompt until end of input."""
        await chat(self.engine)

    async def stop(self) -> None:
        """Nothing to close: the prompt ends with its input."""


class ConsolePlugin:
    """The ``console`` entry point: always configured, renders text for ``newsbot ask``."""

    name = "console"

    def configured(self, settings: Settings) -> bool:
        """The console needs no credentials."""
        return True

    def create(self, engine: Engine, settings: Settings) -> ChatAdapter:
        """The interactive prompt."""
        return ConsoleAdapter(engine)

    def setup_hint(self) -> str:
        """Nothing to set up."""
        return "newsbot chat"

    def render(self, answer: Answer) -> str:
        """Plain text for a terminal."""
        return render(answer)

    async def chat(self, engine: Engine) -> None:
        """The interactive prompt."""
        await chat(engine)


plugin = ConsolePlugin()
