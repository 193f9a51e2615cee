"""Free text and commands -> intents (pure, no catalogue)."""

from __future__ import annotations

import pytest

from bot.intents import (
    MAX_COUNT,
    Intent,
    clamp_count,
    clean_text,
    from_command,
    parse,
    story_words,
)


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
    # control characters become spaces, terminal escape sequences go whole, invisible format
    # characters (here RLM) are dropped
    assert clean_text("a\x00b\x1b[31mc\u200fd") == "a b cd"
    assert clean_text("\x1b]0;title\x07news \x1b[2Jnow") == "news now"
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


def test_clean_text_keeps_joiners_and_drops_bidi_controls() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"news for the {family}") == f"news for the {family}"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
    assert clean_text(persian) == persian
    assert clean_text("kas\u202epersky\u202c \u2066ban\u2069") == "kaspersky ban"
    assert clean_text("Kasper\u00adsky\ufeff") == "Kaspersky"


def test_case_folding_that_changes_length_does_not_shift_the_speaker() -> None:
    parsed = parse(clean_text("what did \u00df\u00df\u00df\u00df Peskov say"))
    assert parsed.speaker == "\u00df\u00df\u00df\u00df Peskov"
    assert parse("WHO SAID 'Stra\u00dfe'?").phrase == "Stra\u00dfe"


@pytest.mark.parametrize(
    ("text", "speaker", "story", "topic"),
    [
        ("hey, what did Peskov say?", "Peskov", None, None),
        ("@everyone what did peskov say", "peskov", None, None),
        ("<@123> what did peskov say", "peskov", None, None),
        ("<@!123> hi newsbot: what did Peskov say?", "Peskov", None, None),
        ("quote peskov", "peskov", None, None),
        ("did Peskov say anything", "Peskov", None, None),
        ("did Peskov say anything about the ban", "Peskov", None, "ban"),
        ("what did Peskov say in the kaspersky story", "Peskov", "kaspersky", None),
        ("what did Peskov say about the Kaspersky story", "Peskov", "kaspersky", None),
        ("quotes from the Kaspersky story", None, "kaspersky", None),
        ("any quotes in the Kaspersky article", None, "kaspersky", None),
        ("who is quoted in the Kaspersky story", None, "kaspersky", None),
        ("what did the Kremlin say about the ban", "the Kremlin", None, "ban"),
        ("quotes", None, None, None),
    ],
)
def test_quote_phrasings(text: str, speaker: str | None, story: str | None,
                         topic: str | None) -> None:
    parsed = parse(clean_text(text))
    assert parsed.intent == Intent.QUOTE
    assert (parsed.speaker, parsed.story, parsed.topic) == (speaker, story, topic)


@pytest.mark.parametrize(
    ("text", "count", "noted"),
    [
        ("top 5 stories", 5, False),
        ("last 5 stories", 5, False),
        ("latest news please", None, False),
        ("latest 3 news", 3, False),
        ("show me the latest headlines", None, False),
        ("latest -5", None, True),
        ("latest 0", None, True),
        ("latest 99999999999999999999", 10, True),
    ],
)
def test_latest_phrasings(text: str, count: int | None, noted: bool) -> None:
    parsed = parse(clean_text(text))
    assert parsed.intent == Intent.LATEST
    assert parsed.count == count
    assert (parsed.note is not None) is noted


@pytest.mark.parametrize(
    ("text", "intent"),
    [("summarize", Intent.SUMMARY), ("tl;dr", Intent.SUMMARY), ("search", Intent.SEARCH),
     ("search for", Intent.SEARCH)],
)
def test_a_command_word_alone_has_no_argument(text: str, intent: Intent) -> None:
    parsed = parse(text)
    assert parsed.intent == intent
    assert (parsed.story, parsed.query) == (None, None)


def test_what_about_is_filler() -> None:
    assert parse("what about the Sony PSP").story == "sony psp"


def test_a_report_is_a_topic_or_a_speaker_not_the_story() -> None:
    topic = parse("what did Police say about prisoner report")
    assert (topic.speaker, topic.story, topic.topic) == ("Police", None, "prisoner")
    speaker = parse("what did his pre-Budget report say about Cabinet raid")
    assert (speaker.speaker, speaker.story) == ("his pre-Budget report", None)


def test_latest_counts_share_one_bound() -> None:
    assert [clamp_count(n) for n in (-3, 0, 1, MAX_COUNT, MAX_COUNT + 1, 10**9)] == [
        1, 1, 1, MAX_COUNT, MAX_COUNT, MAX_COUNT]
    assert from_command("latest", {"count": "99"}).count == MAX_COUNT
    assert from_command("latest", {"count": "0"}).count == 1
    assert parse(f"latest {MAX_COUNT + 5}").count == MAX_COUNT
