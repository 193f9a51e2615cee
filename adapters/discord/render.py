"""Answer -> Discord messages (content + embeds), pure and within every Discord limit.

Article and user text is escaped (markdown, every bracket, mentions: ``adapters.discord.escape``)
here; every send also carries ``NO_MENTIONS`` so nothing can ping even if escaping missed
something. Limits are held by splitting at sentence boundaries, or trimming with a visible
``…`` marker, never by letting Discord answer 400. Lengths are counted in UTF-16 code units,
which is never less than what Discord counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import discord

from adapters.discord.escape import clean, plain
from adapters.urls import safe_http_url
from bot.api import ESTIMATED_DATE, Answer, Card, QuoteLine, Visibility
from bot.api import TEASER_NOTE as TEASER

MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_TOTAL = 6000
MAX_EMBEDS = 10
MAX_CONTENT = 2000
MAX_CHUNKS_PER_CARD = 4  # description pieces per story before trimming (≈16k characters)
MAX_CANDIDATES = 15

MARK = "…"
TEASER_NOTE = f"*{TEASER}*"
TRIMMED_NOTE = "*(trimmed: the story is longer than a chat message)*"
COLOUR = discord.Colour(0x2F6FDE)
NOTICE_COLOUR = discord.Colour(0xE0A100)

NO_MENTIONS = discord.AllowedMentions.none()
"""Pass on every send: parse nothing, ping no one (``{"parse": []}``)."""

_SENTENCE_END = re.compile(r"(?<=[.!?…\"”’)])\s+")


@dataclass(frozen=True, slots=True)
class OutMessage:
    """One Discord message to send: optional content and up to ten embeds."""

    content: str | None
    embeds: tuple[discord.Embed, ...] = field(default=())


def ulen(text: str) -> int:
    """Length in UTF-16 code units (what a JavaScript-counted limit sees)."""
    return len(text.encode("utf-16-le")) // 2


def split_sentences(text: str) -> list[str]:
    """A light sentence split for text without stored sentences (bodies, notices)."""
    return [piece for piece in _SENTENCE_END.split(text.strip()) if piece]


def _cut_words(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary so that it plus a marker fits ``limit``."""
    room = limit - ulen(" " + MARK)
    cut = text
    while ulen(cut) > room:
        cut = cut[: max(0, min(len(cut) - 1, room))]
    if " " in cut[len(cut) // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" \\") + " " + MARK


def fit(text: str, limit: int) -> str:
    """``text`` unchanged if it fits, else whole sentences that fit followed by `` …``."""
    if ulen(text) <= limit:
        return text
    room = limit - ulen(" " + MARK)
    kept: list[str] = []
    used = 0
    for sentence in split_sentences(text):
        extra = ulen(sentence) + (1 if kept else 0)
        if used + extra > room:
            break
        kept.append(sentence)
        used += extra
    if not kept:
        return _cut_words(text, limit)
    return " ".join(kept) + " " + MARK


def chunk_sentences(sentences: Iterable[str], limit: int) -> list[str]:
    """Pack sentences greedily into pieces of at most ``limit``; long sentences are trimmed."""
    chunks: list[str] = []
    current = ""
    for raw in sentences:
        sentence = fit(raw, limit)
        joined = f"{current} {sentence}" if current else sentence
        if ulen(joined) <= limit:
            current = joined
            continue
        chunks.append(current)
        current = sentence
    if current:
        chunks.append(current)
    return chunks


def embed_size(embed: discord.Embed) -> int:
    """The characters Discord counts towards the 6000 total, in UTF-16 units."""
    total = ulen(embed.title or "") + ulen(embed.description or "")
    total += sum(ulen(f.name or "") + ulen(f.value or "") for f in embed.fields)
    total += ulen(embed.footer.text or "") + ulen(embed.author.name or "")
    return total


def timestamp_text(when: datetime, *, estimated: bool = False) -> str:
    """``<t:UNIX:f> (<t:UNIX:R>)``: shown in each reader's own time zone; an ``estimated`` date
    (the time it was stored) says so."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    unix = int(when.timestamp())
    stamp = f"<t:{unix}:f> (<t:{unix}:R>)"
    return f"{stamp} ({ESTIMATED_DATE})" if estimated else stamp


def _filled(text: str) -> str:
    """``text``, or the marker when it is blank: Discord refuses a blank field name or value
    (and with it the whole message)."""
    return text if text.strip() else MARK


def quote_field(quote: QuoteLine) -> tuple[str, str]:
    """(name, value): speaker and cue; verbatim text in quotation marks, reported text not."""
    speaker, cue = quote.speaker.strip() or "Unattributed", quote.cue.strip()
    # A field name must not be empty (Discord refuses the whole message).
    name = fit(clean(f"{speaker} — {cue}" if cue else speaker), MAX_FIELD_NAME)
    if quote.verbatim:
        value = "“" + fit(clean(quote.text), MAX_FIELD_VALUE - 2) + "”"
    else:
        value = fit(clean(quote.text), MAX_FIELD_VALUE)
    return _filled(name), _filled(value)


def card_fields(card: Card) -> list[tuple[str, str]]:
    """Every field of a story: quotes, the engine's own fields, then source and date."""
    fields = [quote_field(q) for q in card.quotes]
    for name, value in card.fields:
        fields.append(
            (_filled(fit(clean(name), MAX_FIELD_NAME)), _filled(fit(clean(value), MAX_FIELD_VALUE)))
        )
    if card.published_at is not None:  # without a date the footer alone names the source
        parts = [clean(card.source)] if card.source else []
        parts.append(timestamp_text(card.published_at, estimated=card.published_estimated))
        fields.append(("Source", fit(" · ".join(parts), MAX_FIELD_VALUE)))
    return fields


def _description_chunks(card: Card) -> list[str]:
    """The story's text as description pieces, each within the limit, the last with notes."""
    sentences = list(card.summary) or split_sentences(card.body)
    notes = [TEASER_NOTE] if card.kind == "teaser" else []
    # Room for the notes ("\n\n" + note each) and for the " …" a trimmed last piece gains.
    reserve = sum(ulen(n) + 2 for n in notes) + ulen(TRIMMED_NOTE) + 2 + ulen(" " + MARK)
    chunks = chunk_sentences((clean(s) for s in sentences), MAX_DESCRIPTION - reserve)
    if len(chunks) > MAX_CHUNKS_PER_CARD:
        chunks = chunks[:MAX_CHUNKS_PER_CARD]
        last = chunks[-1].rstrip()
        # A piece whose last sentence was itself cut already ends with the marker.
        chunks[-1] = last if last.endswith(MARK) else f"{last} {MARK}"
        notes.append(TRIMMED_NOTE)
    if notes:
        tail = "\n\n".join(notes)
        chunks = [*chunks[:-1], f"{chunks[-1]}\n\n{tail}"] if chunks else [tail]
    return chunks


def _safe_url(url: str | None) -> str | None:
    """Only http(s) URLs within 2048 characters, with ``( ) < >`` and whitespace
    percent-encoded so that a URL cannot break out of a masked link ``[title](url)``."""
    return safe_http_url(url, 2048)


def card_embeds(card: Card) -> list[discord.Embed]:
    """One story as one embed, or several when its text or fields exceed one embed's limits."""
    chunks = _description_chunks(card)
    first = discord.Embed(
        title=fit(clean(card.title), MAX_TITLE) or MARK,
        url=_safe_url(card.url),
        description=chunks[0] if chunks else None,
        colour=COLOUR,
    )
    embeds = [first]
    embeds += [discord.Embed(description=chunk, colour=COLOUR) for chunk in chunks[1:]]
    # Well under MAX_FOOTER so that title + description + footer always fit one embed.
    footer = fit(plain(f"Source: {card.source}"), MAX_TITLE) if card.source else None
    reserve = ulen(footer or "")
    for name, value in card_fields(card):
        last = embeds[-1]
        size = ulen(name) + ulen(value)
        if len(last.fields) >= MAX_FIELDS or embed_size(last) + size + reserve > MAX_TOTAL:
            last = discord.Embed(colour=COLOUR)
            embeds.append(last)
        last.add_field(name=name, value=value, inline=False)
    if footer:
        embeds[-1].set_footer(text=footer)
    return embeds


def candidates_embed(candidates: Sequence[Card]) -> discord.Embed:
    """A list of stories the user may have meant."""
    lines: list[str] = []
    for card in candidates[:MAX_CANDIDATES]:
        title = fit(clean(card.title), 200)
        url = _safe_url(card.url)
        line = f"• [{title}]({url})" if url else f"• {title}"
        if card.source:
            line += f" — {fit(clean(card.source), 80)}"
        lines.append(line)
    if len(candidates) > MAX_CANDIDATES:
        lines.append(f"{MARK} and {len(candidates) - MAX_CANDIDATES} more")
    description = fit("\n".join(lines), MAX_DESCRIPTION)
    return discord.Embed(
        title="Did you mean one of these?", description=description, colour=NOTICE_COLOUR
    )


def content_text(answer: Answer) -> str | None:
    """The message content: the notice (prominent) and the lead line."""
    parts: list[str] = []
    if answer.notice:
        parts.append(f"**Note:** {clean(answer.notice)}")
    if answer.lead and answer.lead != answer.notice:  # the engine often sends both alike
        parts.append(clean(answer.lead))
    content = fit("\n".join(parts), MAX_CONTENT)
    return content if content.strip() else None  # Discord refuses blank content (50006)


def pack(content: str | None, embeds: Sequence[discord.Embed]) -> list[OutMessage]:
    """Group embeds into messages of at most 10 embeds and 6000 characters; content goes first."""
    messages: list[list[discord.Embed]] = [[]]
    total = 0
    for embed in embeds:
        size = embed_size(embed)
        if len(messages[-1]) >= MAX_EMBEDS or total + size > MAX_TOTAL:
            messages.append([])
            total = 0
        messages[-1].append(embed)
        total += size
    out = [
        OutMessage(content if i == 0 else None, tuple(group)) for i, group in enumerate(messages)
    ]
    if out[0].content is None and not out[0].embeds:
        out[0] = OutMessage(MARK, ())
    return out


def render(answer: Answer) -> list[OutMessage]:
    """The whole answer as one or more messages, each within Discord's limits."""
    embeds = [embed for card in answer.cards for embed in card_embeds(card)]
    if answer.candidates:
        embeds.append(candidates_embed(answer.candidates))
    return pack(content_text(answer), embeds)


def is_ephemeral(answer: Answer) -> bool:
    """User errors and answers meant for the asker alone are shown only to the asker."""
    return answer.visibility is Visibility.EPHEMERAL or answer.is_error
