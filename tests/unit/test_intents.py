"""Free text and commands -> intents (pure, no catalogue)."""

from __future__ import annotations

import pytest

from bot.intents import Intent, clean_text, from_command, parse, story_words


@pytest.mark.parametrize(
    ("text", "intent", "field", "value"),
    [
        ("summarize the kaspersky story", Intent.SUMMARY, "story", "kaspersky"),
        ("Summarise the Kaspersky story please", Intent.SUMMARY, "story", "kaspersky"),
        ("tl;dr kaspersky", Intent.SUMMARY, "story", "kaspersky"),
        ("tldr: kaspersky", Intent.SUMMARY, "story", "kaspersky"),
        ("tell me about the Teams integration story", Intent.SUMMARY, "story",
         "teams integration"),
        ("what did Peskov say?", Intent.QUOTE, "speaker", "Peskov"),
        ("what did the Kremlin say about the ban", Intent.QUOTE, "speaker", "the Kremlin"),
        ("who said 'very competitive'?", Intent.QUOTE, "phrase", "very competitive"),
        ("who said \u201cvery competitive\u201d", Intent.QUOTE, "phrase", "very competitive"),
        ("any quotes from Raimondo", Intent.QUOTE, "speaker", "Raimondo"),
        ("latest news", Intent.LATEST, "count", None),
        ("what's new", Intent.LATEST, "count", None),
        ("latest 3", Intent.LATEST, "count", 3),
        ("latest 999", Intent.LATEST, "count", 10),
        ("search ban", Intent.SEARCH, "query", "ban"),
        ("help", Intent.HELP, "story", None),
        ("kaspersky", Intent.STORY, "story", "kaspersky"),
    ],
)
def test_free_text(text: str, intent: Intent, field: str, value: object) -> None:
    parsed = parse(clean_text(text))
    assert parsed.intent == intent
    assert getattr(parsed, field) == value


def test_topic_is_kept_apart_from_the_speaker() -> None:
    parsed = parse("what did the Kremlin say about the ban?")
    assert parsed.topic == "ban"


def test_clean_text_drops_control_characters_but_keeps_scripts() -> None:
    assert clean_text("a\x00b\x1b[31mc\u200fd") == "a b [31mc d"
    assert clean_text("  مرحبا   \U0001f4f0 ") == "مرحبا \U0001f4f0"


def test_story_words_falls_back_to_the_text_when_only_filler() -> None:
    assert story_words("the story") == "the story"
    assert story_words("the Kaspersky article") == "kaspersky"


def test_commands_map_to_the_same_intents() -> None:
    assert from_command("summary", {"story": "x"}).story == "x"
    quote = from_command("quote", {"speaker": "Peskov", "story": ""})
    assert (quote.intent, quote.speaker, quote.story) == (Intent.QUOTE, "Peskov", None)
    assert from_command("latest", {"count": "4"}).count == 4
    assert from_command("latest", {"count": "lots"}).count is None
    assert from_command("nonsense", {}).intent == Intent.HELP
