"""Quote and summary phrasings people really type, typos included (pure, no catalogue)."""

from __future__ import annotations

import pytest

from bot.intents import Intent, parse
from bot.question.typos import closest, correct, damerau


@pytest.mark.parametrize(
    ("text", "speaker", "topic"),
    [
        ("what did the mayor call the new stadium?", "the mayor", "new stadium"),
        ("how did Okafor describe the bridge repairs", "Okafor", "bridge repairs"),
        ("what did the health minister compare the waiting lists to?", "the health minister",
         "waiting lists"),
        ("what was the union's reaction to the pay offer", "union", "pay offer"),
        ("did the harbour master comment on the closure", "the harbour master", "closure"),
        ("did Okafor say anything about the cables?", "Okafor", "cables"),
        ("what did the lpa boss say back to the fishermen", "the lpa boss", "fishermen"),
        ("what did the council's transport head say she would not do", "the council's "
         "transport head", "she would not do"),
        ("Okafor's budget speech", "Okafor", "budget"),
        ("what did the river trust's chairman say about flooding", "the river trust's chairman",
         "flooding"),
    ],
)
def test_quote_questions_name_a_speaker_and_a_topic(text: str, speaker: str, topic: str
                                                    ) -> None:
    parsed = parse(text)
    assert parsed.intent is Intent.QUOTE
    assert parsed.speaker == speaker
    assert parsed.topic == topic


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("who warned that the cables could fail?", "that the cables could fail"),
        ("who called the bridge a death trap", "the bridge a death trap"),
        ("who accused the council of dragging its feet", "the council of dragging its feet"),
        ("who praised the engineers", "the engineers"),
    ],
)
def test_who_verb_questions_search_by_what_was_said(text: str, phrase: str) -> None:
    parsed = parse(text)
    assert parsed.intent is Intent.QUOTE
    assert parsed.phrase == phrase
    assert parsed.speaker is None


@pytest.mark.parametrize(
    ("text", "story"),
    [
        ("gist of the harbour bridge story", "harbour bridge"),
        ("give me the gist on the bridge repairs", "bridge repairs"),
        ("catch me up on the harbour bridge", "harbour bridge"),
        ("what's the deal with the bridge repairs", "bridge repairs"),
        ("what happened with the river festival", "river festival"),
        ("anything on the river festival?", "river festival"),
        ("tl;dr on the river festival", "river festival"),
        ("@newsbot tell me about the river festival", "river festival"),
        ("sumarize the river festival story", "river festival"),
    ],
)
def test_summary_phrasings(text: str, story: str) -> None:
    parsed = parse(text)
    assert parsed.intent is Intent.SUMMARY
    assert parsed.story == story


@pytest.mark.parametrize(
    ("text", "intent", "speaker", "topic"),
    [
        ("waht did okafor say about the cables", Intent.QUOTE, "okafor", "cables"),
        ("wat did okafor say", Intent.QUOTE, "okafor", None),
        ("wht did okafor say abt the cables", Intent.QUOTE, "okafor", "cables"),
        ("what did okafor siad about the cables", Intent.QUOTE, "okafor", "cables"),
        ("qoutes from okafor", Intent.QUOTE, "okafor", None),
        ("@newsbot waht did the mayor call the stadium", Intent.QUOTE, "the mayor", "stadium"),
    ],
)
def test_misspelt_intent_words_are_read_as_meant(
    text: str, intent: Intent, speaker: str, topic: str | None
) -> None:
    parsed = parse(text)
    assert parsed.intent is intent
    assert parsed.speaker == speaker
    assert parsed.topic == topic


@pytest.mark.parametrize(
    "text",
    ["that bridge story", "sail boat race", "what did the ward sister say", "show the sand dunes",
     "summarize the title bout story", "summarize the u-turn story",
     "what did the mayor say about the money paid to the firm", "tl;dr the compere row"],
)
def test_real_words_are_not_corrected(text: str) -> None:
    assert correct(text) == text


def test_story_words_are_never_corrected_into_intent_words() -> None:
    # "saying" and "sad" are one edit from vocabulary words; as story words they stay.
    assert correct("summarize the sad saying story") == "summarize the sad saying story"
    assert correct("what did the mayor sya") == "what did the mayor sya"  # too short to guess


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert damerau("waht", "what") == 1
    assert damerau("qoute", "quote") == 1
    assert damerau("sumarize", "summarize") == 1
    assert damerau("abcdef", "ghijkl") > 2
    assert closest("waht", ("what", "who")) == "what"
    assert closest("zebra", ("what", "who")) is None
