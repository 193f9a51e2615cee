"""Neutral ``Answer`` -> Slack Block Kit messages plus a plain ``text`` fallback (pure).

Everything that comes from articles or users is escaped (``&``, ``<``, ``>``), so no mention,
``<!channel>``, link or date token can come from it, and mrkdwn emphasis characters at word
edges are swapped for look-alikes so text cannot restyle the message. Platform limits are held
by cutting summaries at sentence boundaries and splitting into several messages with a marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from adapters.urls import safe_http_url
from bot.api import ESTIMATED_DATE, TEASER_NOTE, Answer, Card, Intent, QuoteLine, Visibility

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
SECTION_CHUNK = 2500  # escaped characters per summary section (room for markup)
FIELD_LIMIT = 2000
URL_LIMIT = 3000
MAX_BLOCKS = 50
PAGE_BLOCKS = 46  # leaves room for the continuation markers
PAGE_TEXT_BUDGET = 10_000  # Slack rejects messages near 13k characters of block text
FALLBACK_LIMIT = 3000
MAX_CANDIDATES = 10
SOURCE_LIMIT = 200  # a source (feed title) in a context element or a candidate line
CANDIDATE_TITLE_LIMIT = 300
CANDIDATE_URL_LIMIT = 1500  # with title and source, one line stays within SECTION_CHUNK

Block = dict[str, Any]

_EDGE_MARKS = re.compile(r"(?<![^\W_])[*_~]|[*_~](?![^\W_])")
_LOOKALIKE = {"*": "\u2217", "_": "\uff3f", "~": "\u223c", "`": "\u02cb"}
# No word boundary required: "@everyonequote" cut to 255 characters can end "@everyone…".
_BROADCAST = re.compile(r"@(channel|here|everyone)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…\"”’])\s+")


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One Slack message: Block Kit blocks and the notification/accessibility fallback text."""

    text: str
    blocks: tuple[Block, ...]

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``chat.postMessage``, ``say`` or ``respond``."""
        return {"text": self.text, "blocks": list(self.blocks)}


def escape_plain(text: str) -> str:
    """Escape Slack's control characters and defuse broadcast words (plain_text fields)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060\\1", escaped)


def escape_mrkdwn(text: str) -> str:
    """``escape_plain`` plus emphasis/code characters that could restyle the message."""
    text = text.replace("`", _LOOKALIKE["`"])
    text = _EDGE_MARKS.sub(lambda m: _LOOKALIKE[m.group(0)], text)
    return escape_plain(text)


def cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` to keep at most ``limit`` characters without splitting one of
    our escapes (``&amp;``, ``&lt;``, ``&gt;``): Slack would show the broken rest verbatim; nor
    a ``<...>`` token (link, date): cut inside ``<url|title``, the link would stay unclosed.
    Text we did not write is escaped, so every ``<`` in ``text`` opens one of our tokens."""
    if len(text) <= limit:
        return len(text)
    cut = limit
    amp = text.rfind("&", max(0, cut - 4), cut)
    if amp != -1 and text.find(";", amp, cut) == -1:
        cut = amp
    opened = text.rfind("<", 0, cut)
    if opened > text.rfind(">", 0, cut):
        cut = opened
    return cut


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary when possible, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: cut_point(text, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def fit_sentences(text: str, limit: int) -> str:
    """``text`` unchanged if it fits, else the whole sentences that fit and `` …``; a word-
    boundary cut when whole sentences would keep less than half of ``limit``."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in split_sentences(text):
        joined = f"{kept} {sentence}" if kept else sentence
        if len(joined) + 2 > limit:
            break
        kept = joined
    if len(kept) < limit // 2:
        return truncate(text, limit)
    return kept + " …"


def date_token(when: datetime, estimated: bool = False) -> str:
    """A Slack date token shown in the reader's time zone, with a UTC fallback; an
    ``estimated`` date (the time it was stored) says so."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    fallback = aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    token = f"<!date^{int(aware.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"
    return f"{token} ({ESTIMATED_DATE})" if estimated else token


def chunk_sentences(sentences: Iterable[str], limit: int = SECTION_CHUNK) -> list[str]:
    """Escaped mrkdwn chunks of at most ``limit`` characters, cut between sentences."""
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        for piece in _hard_split(escape_mrkdwn(sentence.strip()), limit):
            if current and len(current) + 1 + len(piece) > limit:
                chunks.append(current)
                current = ""
            current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


def _hard_split(text: str, limit: int) -> Iterator[str]:
    """A single over-long sentence cut at spaces (never inside an escape like ``&amp;``)."""
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        amp = text.rfind("&", 0, limit)
        if cut <= 0:
            cut = amp if amp > limit - 6 else limit
        yield text[:cut].rstrip()
        text = text[cut:].lstrip()
    if text:
        yield text


def split_sentences(text: str) -> list[str]:
    """A rough sentence split for plain bodies that come without a stored summary."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def _section(mrkdwn: str) -> Block:
    text = mrkdwn[: cut_point(mrkdwn, SECTION_LIMIT)]  # a last guard; callers fit their text
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(*mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in mrkdwn]}


def _header(title: str) -> Block:
    text = truncate(escape_plain(title.strip() or "Untitled"), HEADER_LIMIT)
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def quote_line(quote: QuoteLine, limit: int = SECTION_LIMIT) -> str:
    """One attribution as mrkdwn within ``limit``: verbatim text in quotation marks, reported
    speech without; a long text is cut at a sentence boundary, inside the quotation marks."""
    speaker = truncate(escape_mrkdwn(quote.speaker), 200) or "Unattributed"
    cue = truncate(escape_mrkdwn(quote.cue), 100)
    if quote.verbatim:
        prefix = f"*{speaker}* {cue}:".replace(" :", ":")
        return f"{prefix} “{fit_sentences(escape_mrkdwn(quote.text), limit - len(prefix) - 3)}”"
    prefix = f"*{speaker}* {cue} (reported):".replace("  ", " ")
    return f"{prefix} {fit_sentences(escape_mrkdwn(quote.text), limit - len(prefix) - 1)}"


def _card_context(card: Card) -> list[str]:
    parts = []
    source = (card.source or "").strip()
    if source:  # a feed title or JSONL ``source``: any length, so trimmed
        parts.append(truncate(escape_mrkdwn(source), SOURCE_LIMIT))
    if card.published_at is not None:
        parts.append(date_token(card.published_at, card.published_estimated))
    items = [" · ".join(parts)] if parts else []
    if card.kind == "teaser":
        items.append(f":warning: {TEASER_NOTE}")
    return items


def _link_button(card: Card, index: int) -> Block | None:
    url = safe_http_url(card.url, URL_LIMIT)
    if url is None:
        return None
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Read the article", "emoji": False},
        "url": url,
        "action_id": f"open_article_{index}",
    }
    return {"type": "actions", "elements": [button]}


def _field_text(name: str, value: str) -> str:
    """``*name*`` and the value on the next line, within the field limit (sentence cut)."""
    title = truncate(escape_mrkdwn(name), 200)
    return f"*{title}*\n{fit_sentences(escape_mrkdwn(value), FIELD_LIMIT - len(title) - 3)}"


def _field_blocks(fields: Sequence[tuple[str, str]]) -> list[Block]:
    texts = [_field_text(name, value) for name, value in fields]
    return [
        {"type": "section", "fields": [{"type": "mrkdwn", "text": t} for t in texts[i : i + 10]]}
        for i in range(0, len(texts), 10)
    ]


def card_blocks(card: Card, index: int = 0) -> list[Block]:
    """The blocks for one story: header, context, summary, quotes, fields and a link button."""
    blocks: list[Block] = [_header(card.title)]
    context = _card_context(card)
    if context:
        blocks.append(_context(*context))
    sentences = card.summary or tuple(split_sentences(card.body))
    blocks.extend(_section(chunk) for chunk in chunk_sentences(sentences))
    blocks.extend(_section(quote_line(q)) for q in card.quotes)
    blocks.extend(_field_blocks(card.fields))
    button = _link_button(card, index)
    if button is not None:
        blocks.append(button)
    return blocks


def _candidate_line(card: Card) -> str:
    """``• <url|title> (source)``, short enough for a section: titles and sources are cut,
    and a URL too long to fit leaves the title unlinked rather than a link cut in half."""
    title = truncate(escape_mrkdwn(card.title.strip() or "Untitled"), CANDIDATE_TITLE_LIMIT)
    title = title.replace("|", "\u2223")  # ``|`` would end the label of ``<url|label>``
    # ``|`` and ``>`` in the URL are percent-encoded: they would end ``<url|label>`` early.
    url = safe_http_url(card.url, CANDIDATE_URL_LIMIT)
    label = f"<{escape_plain(url)}|{title}>" if url else title
    source = truncate(escape_mrkdwn((card.source or "").strip()), SOURCE_LIMIT)
    return f"• {label} ({source})" if source else f"• {label}"


def _candidate_blocks(candidates: Sequence[Card]) -> list[Block]:
    lines = [_candidate_line(c) for c in candidates[:MAX_CANDIDATES]]
    more = len(candidates) - MAX_CANDIDATES
    if more > 0:
        lines.append(f"…and {more} more")
    sections, current = [], "*Did you mean:*"
    for line in lines:
        if len(current) + 1 + len(line) > SECTION_CHUNK:
            sections.append(_section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    sections.append(_section(current))
    return sections


def answer_blocks(answer: Answer) -> list[Block]:
    """All blocks for an answer, before splitting into messages."""
    blocks: list[Block] = []
    if answer.notice:
        icon = ":warning:" if answer.is_error else ":information_source:"
        blocks.append(_section(f"{icon} {fit_sentences(escape_mrkdwn(answer.notice), 2900)}"))
    if answer.lead and answer.lead != answer.notice:  # the engine often sends both alike
        blocks.append(_section(fit_sentences(escape_mrkdwn(answer.lead), 2900)))
    for index, card in enumerate(answer.cards):
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(card_blocks(card, index))
    if answer.candidates:
        blocks.extend(_candidate_blocks(answer.candidates))
    return blocks


def block_text_size(value: Any) -> int:
    """Characters of text inside a block (what Slack counts towards ``msg_blocks_too_long``)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(block_text_size(v) for k, v in value.items() if k not in ("type", "action_id"))
    if isinstance(value, list):
        return sum(block_text_size(v) for v in value)
    return 0


def paginate(blocks: Sequence[Block]) -> list[list[Block]]:
    """Blocks grouped into messages under the block-count and text budgets, order kept."""
    pages: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        weight = block_text_size(block)
        page = pages[-1]
        if page and (len(page) >= PAGE_BLOCKS or size + weight > PAGE_TEXT_BUDGET):
            if page[-1].get("type") == "divider":
                page.pop()
            pages.append([])
            size = 0
            if block.get("type") == "divider":
                continue
        pages[-1].append(block)
        size += weight
    return pages


def fallback_text(answer: Answer) -> str:
    """The plain ``text`` shown in notifications and to screen readers."""
    first = answer.cards[0].title if answer.cards else ""
    parts = list(dict.fromkeys(p for p in (answer.notice, answer.lead, first) if p))  # no twice
    return truncate(escape_mrkdwn(" — ".join(parts) or "News"), FALLBACK_LIMIT)


def render_answer(answer: Answer, max_messages: int | None = None) -> list[SlackMessage]:
    """Render ``answer`` into one or more Slack messages, each within Slack's limits."""
    pages = paginate(answer_blocks(answer)) or [[]]
    dropped = 0
    if max_messages is not None and len(pages) > max_messages:
        dropped = len(pages) - max_messages
        pages = pages[:max_messages]
    total = len(pages)
    text = fallback_text(answer)
    messages = []
    for number, page in enumerate(pages, start=1):
        blocks = list(page)
        if number > 1:
            blocks.insert(0, _context(f"_(continued, part {number} of {total})_"))
        if number < total:
            blocks.append(_context(f"_(continues in the next message, {number}/{total})_"))
        elif dropped:
            blocks.append(_context(f"_({dropped} more part(s) not shown: open the article)_"))
        page_text = text if number == 1 else truncate(f"(continued {number}/{total}) {text}", 3000)
        messages.append(SlackMessage(page_text, tuple(blocks[:MAX_BLOCKS])))
    return messages


def response_type(answer: Answer, public_answers: bool = True) -> str:
    """``in_channel`` for public content answers, ``ephemeral`` for errors, help and opt-outs."""
    public = answer.visibility is Visibility.PUBLIC and not answer.is_error
    shown = public and public_answers and answer.intent != Intent.HELP
    return "in_channel" if shown else "ephemeral"
