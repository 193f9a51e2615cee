"""Property-style check: whatever the mix of sentence lengths and characters, every rendered
Discord payload is within every limit Discord enforces (checked independently of render.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from adapters.discord import render
from bot.intents import Intent
from bot.messages import Answer, Card, QuoteLine
from tests.fakes.discord_limits import message_violations

WORDS = {
    "ascii": ("word", "bridge", "council", "a", "approved"),
    "emoji": ("😀", "news😀", "🇪🇺flag", "ok"),
    "markup": ("**bold**", "_x_", "`code`", "~~s~~", "|spoiler|", "> q", "\\"),
    "mentions": ("@everyone", "@here", "<@&123>", "<@!1>", "<#5>", "</x:1>", "<t:1:R>"),
    "accents": ("é", "ümlaut", "naïve", "ß"),
}


def sentence(rng: random.Random, length: int, style: str) -> str:
    """About ``length`` characters of words in ``style``, ending with a full stop."""
    pool = WORDS[style]
    words = rng.choices(pool, k=max(1, length // 4))
    return " ".join(words)[: max(1, length)].rstrip() + "."


def lengths(rng: random.Random, mix: str, count: int) -> list[int]:
    """Sentence lengths for one of several mixes (the audit's case is ``long``)."""
    if mix == "long":
        return [rng.randint(1500, 4500) for _ in range(count)]
    if mix == "huge":
        return [rng.randint(4000, 9000) for _ in range(count)]
    if mix == "short":
        return [rng.randint(1, 200) for _ in range(count)]
    return [rng.choice((rng.randint(1, 300), rng.randint(300, 4500))) for _ in range(count)]


def random_card(rng: random.Random, mix: str) -> Card:
    style = rng.choice(tuple(WORDS))
    summary = tuple(sentence(rng, n, style) for n in lengths(rng, mix, rng.randint(1, 12)))
    quotes = tuple(
        QuoteLine(
            sentence(rng, rng.randint(1, 400), style),
            rng.choice(("said", "", "warned " * 40)),
            sentence(rng, rng.randint(1, 1500), style),
            "direct",
            rng.random() < 0.5,
        )
        for _ in range(rng.randint(0, 30))
    )
    fields = tuple(
        (sentence(rng, rng.randint(1, 400), style), sentence(rng, rng.randint(1, 1500), style))
        for _ in range(rng.randint(0, 5))
    )
    return Card(
        title=sentence(rng, rng.randint(1, 500), style),
        ref="a",
        url=rng.choice(("https://news.example/a", None, "https://n.example/x)[y](https://z")),
        source=sentence(rng, rng.choice((10, 300, 3000)), style),
        published_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC) if rng.random() < 0.8 else None,
        summary=summary,
        quotes=quotes,
        fields=fields,
        kind=rng.choice(("article", "teaser")),
    )


def random_answer(rng: random.Random, mix: str) -> Answer:
    style = rng.choice(tuple(WORDS))
    return Answer(
        intent=Intent.LATEST,
        lead=sentence(rng, rng.choice((0, 50, 2500)), style),
        notice=sentence(rng, rng.randint(1, 600), style) if rng.random() < 0.3 else None,
        cards=tuple(random_card(rng, mix) for _ in range(rng.randint(1, 4))),
        candidates=tuple(random_card(rng, "short") for _ in range(rng.choice((0, 0, 3, 20)))),
    )


def payload(message: render.OutMessage) -> dict[str, object]:
    """The JSON body discord.py sends for one rendered message."""
    return {"content": message.content, "embeds": [e.to_dict() for e in message.embeds]}


@pytest.mark.parametrize("mix", ["long", "huge", "short", "mixed"])
def test_every_payload_within_all_limits(mix: str) -> None:
    rng = random.Random(f"discord-limits-{mix}")
    for case in range(30):
        answer = random_answer(rng, mix)
        for number, message in enumerate(render.render(answer)):
            problems = message_violations(payload(message))
            assert not problems, f"{mix} case {case}, message {number}: {problems}"


def test_ten_long_sentences_of_the_audit() -> None:
    """The audit's finding: 10-sentence summaries of 1.5k-4.5k-character sentences."""
    rng = random.Random(17)
    for _ in range(100):
        summary = tuple(sentence(rng, n, "ascii") for n in lengths(rng, "long", 10))
        card = Card(title="T", ref="a", summary=summary)
        for message in render.render(Answer(intent=Intent.SUMMARY, lead="", cards=(card,))):
            assert not message_violations(payload(message))


def test_story_cut_to_four_pieces_keeps_one_marker() -> None:
    five = (("word " * 900).strip() + ".",) * 5  # the audit's repro: 4041 x 3, then 4097
    card = Card(title="T", ref="a", summary=five)
    messages = render.render(Answer(intent=Intent.SUMMARY, lead="", cards=(card,)))
    descriptions = [e.description or "" for m in messages for e in m.embeds]
    assert len(descriptions) == render.MAX_CHUNKS_PER_CARD
    assert all(render.ulen(d) <= render.MAX_DESCRIPTION for d in descriptions)
    last = descriptions[-1]
    assert last.endswith(render.TRIMMED_NOTE)
    assert "… …" not in last
    assert last.count(render.MARK) == 1
