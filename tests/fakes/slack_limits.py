"""Slack's message limits, checked on what the bot posts (Slack's Block Kit reference).

Shared by the fake Slack (which answers with Slack's error for a violation) and by the tests;
written from Slack's documentation, not from ``adapters.slack.render``, so a wrong constant in
the renderer cannot hide itself.
"""

from __future__ import annotations

import json
from typing import Any

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_URL = 3000
MAX_TEXT = 40_000  # top-level ``text``: msg_too_long
MAX_BLOCKS_TEXT = 12_000  # Slack answers msg_blocks_too_long near 13k characters of block text
MAX_TEXT_OBJECT = 3000  # any mrkdwn/plain_text object: 1-3000 (Block Kit composition objects)
MAX_ID = 255  # block_id, action_id
TEXT_OBJECT_TYPES = ("mrkdwn", "plain_text")


def _text(obj: Any) -> str:
    """The ``text`` of a text object (``{"type": "mrkdwn", "text": ...}``), else empty."""
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return str(obj["text"])
    return ""


def block_text(value: Any) -> int:
    """Characters in every ``text`` string inside ``value`` (what ``msg_blocks_too_long``
    is about)."""
    if isinstance(value, dict):
        text = value.get("text")
        own = len(text) if isinstance(text, str) else block_text(text)
        return own + sum(block_text(v) for k, v in value.items() if k != "text")
    if isinstance(value, list):
        return sum(block_text(v) for v in value)
    return 0


def _element_problems(where: str, element: dict[str, Any]) -> list[str]:
    problems = []
    if element.get("type") == "button":
        if len(_text(element.get("text"))) > MAX_BUTTON_TEXT:
            problems.append(f"{where}: button text over {MAX_BUTTON_TEXT}")
        if len(str(element.get("url") or "")) > MAX_URL:
            problems.append(f"{where}: button url over {MAX_URL}")
    return problems


def _text_object_problems(where: str, value: Any) -> list[str]:
    """Every text object anywhere in ``value`` (section text and fields, context elements,
    header and button text...) holds 1-3000 characters; ids hold at most 255."""
    problems: list[str] = []
    if isinstance(value, list):
        for n, item in enumerate(value):
            problems += _text_object_problems(f"{where}[{n}]", item)
        return problems
    if not isinstance(value, dict):
        return problems
    if value.get("type") in TEXT_OBJECT_TYPES:
        text = value.get("text")
        if not isinstance(text, str) or not 0 < len(text) <= MAX_TEXT_OBJECT:
            size = len(text) if isinstance(text, str) else "no"
            problems.append(f"{where}: text object with {size} characters (1-{MAX_TEXT_OBJECT})")
    for key in ("block_id", "action_id"):
        if len(str(value.get(key) or "")) > MAX_ID:
            problems.append(f"{where}.{key}: over {MAX_ID} characters")
    for key, item in value.items():
        if isinstance(item, (dict, list)):
            problems += _text_object_problems(f"{where}.{key}", item)
    return problems


def _block_problems(index: int, block: dict[str, Any]) -> list[str]:
    where = f"blocks[{index}]"
    kind = block.get("type")
    problems: list[str] = []
    if kind == "header" and not 0 < len(_text(block.get("text"))) <= MAX_HEADER_TEXT:
        problems.append(f"{where}: header text must be 1-{MAX_HEADER_TEXT} characters")
    if kind == "section":
        text, fields = _text(block.get("text")), block.get("fields") or []
        if not text and not fields:
            problems.append(f"{where}: section without text or fields")
        if len(text) > MAX_SECTION_TEXT:
            problems.append(f"{where}: section text {len(text)} > {MAX_SECTION_TEXT}")
        if len(fields) > MAX_SECTION_FIELDS:
            problems.append(f"{where}: {len(fields)} fields > {MAX_SECTION_FIELDS}")
        problems += [
            f"{where}.fields[{n}]: {len(_text(f))} > {MAX_FIELD_TEXT}"
            for n, f in enumerate(fields)
            if len(_text(f)) > MAX_FIELD_TEXT
        ]
    if kind == "context" and not 0 < len(block.get("elements") or []) <= MAX_CONTEXT_ELEMENTS:
        problems.append(f"{where}: context needs 1-{MAX_CONTEXT_ELEMENTS} elements")
    for n, element in enumerate(block.get("elements") or []):
        if isinstance(element, dict):
            problems += _element_problems(f"{where}.elements[{n}]", element)
    return problems + _text_object_problems(where, block)


def message_error(params: dict[str, Any]) -> tuple[str, list[str]] | None:
    """(Slack's error code, details) for a message Slack would refuse, else None."""
    text = str(params.get("text") or "")
    if len(text) > MAX_TEXT:
        return "msg_too_long", [f"text: {len(text)} > {MAX_TEXT}"]
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):  # form-encoded posts carry blocks as JSON text
        blocks = json.loads(blocks)
    problems = [] if len(blocks) <= MAX_BLOCKS else [f"{len(blocks)} blocks > {MAX_BLOCKS}"]
    for index, block in enumerate(blocks):
        problems += _block_problems(index, block)
    if problems:
        return "invalid_blocks", problems
    size = block_text(blocks)
    if size > MAX_BLOCKS_TEXT:
        return "msg_blocks_too_long", [f"block text: {size} > {MAX_BLOCKS_TEXT}"]
    return None
