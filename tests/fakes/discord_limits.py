"""Discord's message limits, checked on the JSON payload the bot sends (Discord's API reference).

Shared by the fake Discord (which answers 400 / 50035 on a violation, as Discord does) and by
the tests. Written from Discord's documentation, not from ``adapters.discord.render``, so a
wrong constant in the renderer cannot hide itself. Lengths are UTF-16 code units, which is
never less than what Discord counts.
"""

from __future__ import annotations

from typing import Any

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_AUTHOR = 256
MAX_TOTAL = 6000  # title + description + field names/values + footer + author, all embeds
MAX_CHOICES = 25  # autocomplete results
MAX_CHOICE_NAME = 100
MAX_CHOICE_VALUE = 100  # for string values


def ulen(text: str | None) -> int:
    """Length in UTF-16 code units."""
    return len((text or "").encode("utf-16-le")) // 2


def _embed_violations(index: int, embed: dict[str, Any]) -> tuple[list[str], int]:
    """Problems with one embed, and the characters it counts towards the 6000 total."""
    problems: list[str] = []
    parts = {
        "title": (embed.get("title"), MAX_TITLE),
        "description": (embed.get("description"), MAX_DESCRIPTION),
        "footer.text": ((embed.get("footer") or {}).get("text"), MAX_FOOTER),
        "author.name": ((embed.get("author") or {}).get("name"), MAX_AUTHOR),
    }
    total = 0
    for name, (text, limit) in parts.items():
        total += ulen(text)
        if ulen(text) > limit:
            problems.append(f"embeds[{index}].{name}: {ulen(text)} > {limit}")
    fields = embed.get("fields") or []
    if len(fields) > MAX_FIELDS:
        problems.append(f"embeds[{index}].fields: {len(fields)} > {MAX_FIELDS}")
    for number, item in enumerate(fields):
        name, value = item.get("name") or "", item.get("value") or ""
        total += ulen(name) + ulen(value)
        # Discord trims names and values: blank ones are refused like empty ones.
        if not name.strip() or ulen(name) > MAX_FIELD_NAME:
            problems.append(f"embeds[{index}].fields[{number}].name: {ulen(name)} units")
        if not value.strip() or ulen(value) > MAX_FIELD_VALUE:
            problems.append(f"embeds[{index}].fields[{number}].value: {ulen(value)} units")
    return problems, total


def choice_violations(data: dict[str, Any]) -> list[str]:
    """Every limit an autocomplete result (interaction callback type 8) breaks."""
    choices = data.get("choices") or []
    problems = [f"choices: {len(choices)} > {MAX_CHOICES}"] if len(choices) > MAX_CHOICES else []
    for number, choice in enumerate(choices):
        name, value = str(choice.get("name") or ""), choice.get("value")
        if not 0 < ulen(name) <= MAX_CHOICE_NAME:
            problems.append(f"choices[{number}].name: {ulen(name)} units (1-{MAX_CHOICE_NAME})")
        if isinstance(value, str) and not 0 < ulen(value) <= MAX_CHOICE_VALUE:
            problems.append(f"choices[{number}].value: {ulen(value)} units")
    return problems


def message_violations(payload: dict[str, Any]) -> list[str]:
    """Every Discord limit the message payload breaks (empty when it would be accepted)."""
    problems: list[str] = []
    if not (payload.get("content") or "").strip() and not payload.get("embeds") and not (
        payload.get("components") or payload.get("attachments") or payload.get("sticker_ids")
    ):
        problems.append("content: cannot send an empty message (50006)")
    if ulen(payload.get("content")) > MAX_CONTENT:
        problems.append(f"content: {ulen(payload.get('content'))} > {MAX_CONTENT}")
    embeds = payload.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        problems.append(f"embeds: {len(embeds)} > {MAX_EMBEDS}")
    total = 0
    for index, embed in enumerate(embeds):
        found, size = _embed_violations(index, embed)
        problems += found
        total += size
    if total > MAX_TOTAL:
        problems.append(f"embeds total: {total} > {MAX_TOTAL}")
    return problems
