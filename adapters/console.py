"""The console adapter: plain-text answers in a terminal, for trying newsbot with no tokens."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.api import (
    ESTIMATED_DATE,
    OPERATOR,
    OPERATOR_PLACE,
    TEASER_NOTE,
    Answer,
    Card,
    FrontDoor,
    Intent,
    PrintingDeliverer,
    Query,
    QuoteLine,
    clean_text,
)

if TYPE_CHECKING:
    from bot.api import ChatAdapter, Settings

PROMPT = "newsbot> "


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
    lines = [clean_text(card.title)]
    if card.kind == "teaser":
        lines.append(f"  ({TEASER_NOTE})")
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
    out = [answer.lead if answer.intent == Intent.HELP else clean_text(answer.lead)]
    if answer.notice and answer.notice not in answer.lead:  # a caveat beside the answer
        out.insert(0, f"Note: {clean_text(answer.notice)}")
    full = answer.intent in (Intent.SUMMARY, Intent.QUOTE)
    for card in answer.cards:
        out.append("")
        out.extend(render_card(card, full))
    if answer.candidates:
        out.append("")
        out.extend(f"  * {clean_text(c.title)}  [{c.ref}]" for c in answer.candidates)
    return "\n".join(out)


async def chat(app: FrontDoor) -> None:
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
        query = Query(text=line, user=OPERATOR, place=OPERATOR_PLACE,
                      received_at=datetime.now(UTC))
        # Each question in its own task: the core waits for an answer in progress when it
        # stops, not for the prompt, which waits for input.
        print(render(await asyncio.create_task(app.handle(query))))
        sys.stdout.flush()


class ConsoleAdapter:
    """The interactive prompt as a ``ChatAdapter``; console digests are printed."""

    name = "console"

    def __init__(self, app: FrontDoor) -> None:
        self.app = app
        self.deliverer = PrintingDeliverer(plugin)

    async def start(self) -> None:
        """Serve the prompt until end of input."""
        await chat(self.app)

    async def wait_until_ready(self) -> None:
        """A terminal is ready at once."""

    async def stop(self) -> None:
        """Nothing to close: the prompt ends with its input."""


class ConsolePlugin:
    """The ``console`` entry point: always configured, renders text for ``newsbot ask``."""

    name = "console"

    def configured(self, settings: Settings) -> bool:
        """The console needs no credentials."""
        return True

    def create(self, app: FrontDoor, settings: Settings) -> ChatAdapter:
        """The interactive prompt."""
        return ConsoleAdapter(app)

    def setup_hint(self) -> str:
        """Nothing to set up."""
        return "newsbot chat"

    def render(self, answer: Answer) -> str:
        """Plain text for a terminal."""
        return render(answer)


plugin = ConsolePlugin()
