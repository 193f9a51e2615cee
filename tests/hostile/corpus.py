"""Reading the hostile corpus: forged Slack requests (``requests/*.json``) and hostile strings
(``texts/*.txt``, one per line, as UTF-8; empty lines skipped)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.fakes.slack_fake import SIGNING_SECRET, sign

HERE = Path(__file__).resolve().parent
REQUESTS = sorted((HERE / "requests").glob("*.json"))
TEXT_FILES = sorted((HERE / "texts").glob("*.txt"))


def hostile_texts() -> list[str]:
    """Every hostile string of the corpus."""
    lines: list[str] = []
    for path in TEXT_FILES:
        lines += [line for line in path.read_text(encoding="utf-8").split("\n") if line]
    return lines


@dataclass(frozen=True)
class ForgedRequest:
    """One forged HTTP request: headers and raw body, placeholders filled in."""

    name: str
    why: str
    headers: dict[str, str]
    body: bytes


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _deep_fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _fill(value, values)
    if isinstance(value, dict):
        return {k: _deep_fill(v, values) for k, v in value.items()}
    return value


def load_request(path: Path, response_url: str) -> ForgedRequest:
    """The request in ``path``; ``{response_url}`` points at the fake Slack, ``{now}`` and
    ``{stale}`` are timestamps, ``{signature}`` is Slack's signature with the real secret."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    now = int(time.time())
    values = {"response_url": response_url, "now": str(now), "stale": str(now - 600)}
    if "form" in doc:
        body = urlencode(_deep_fill(doc["form"], values)).encode()
    elif "json" in doc:
        body = json.dumps(_deep_fill(doc["json"], values)).encode()
    elif "raw_latin1" in doc:
        body = _fill(doc["raw_latin1"], values).encode("latin-1")
    else:
        body = _fill(doc["raw"], values).encode()
    headers = {k: _fill(v, values) for k, v in doc["headers"].items()}
    if doc.get("sign"):
        stamp = headers["X-Slack-Request-Timestamp"]
        headers["X-Slack-Signature"] = sign(SIGNING_SECRET, int(stamp), body)
    return ForgedRequest(path.stem, doc["why"], headers, body)
