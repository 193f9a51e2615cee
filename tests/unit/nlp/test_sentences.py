"""Sentence splitting: exact offsets, the title apart, quotes kept with their speakers."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.models import Sentence
from bot.nlp.sentences import paragraph_spans, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def assert_exact(text: str, sentences: list[Sentence]) -> None:
    """Offsets point at the sentence, which has no surrounding whitespace; indexes count up."""
    for i, s in enumerate(sentences):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.text
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))


SEED_LIKE = (
    "Kremlin decries US ban as 'unfair competition'\n\n"
    "The Kremlin has strongly criticised the decision. It called it unfair.\n\n"
    "Dmitry Peskov responded on Friday. He accused Washington of \"unfair competition\".\n"
)


def test_offsets_are_exact_and_paragraphs_numbered() -> None:
    sentences = split_sentences(SEED_LIKE)
    assert_exact(SEED_LIKE, sentences)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "Kremlin decries US ban as 'unfair competition'"),
        (1, "The Kremlin has strongly criticised the decision."),
        (1, "It called it unfair."),
        (2, "Dmitry Peskov responded on Friday."),
        (2, 'He accused Washington of "unfair competition".'),
    ]


def test_title_is_kept_apart_even_without_punctuation() -> None:
    text = "Shares fall as Mr. Smith quits\n\nShares fell on Monday. Investors fled."
    sentences = split_sentences(text)
    assert sentences[0].text == "Shares fall as Mr. Smith quits"
    assert sentences[0].paragraph == 0
    assert [s.paragraph for s in sentences[1:]] == [1, 1]


def test_blank_lines_before_the_title_are_skipped() -> None:
    text = "\n \n  A title\n\nThe body starts here. It goes on."
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "A title"),
        (1, "The body starts here."),
        (1, "It goes on."),
    ]


def test_title_on_its_own_line_without_blank_line() -> None:
    text = "A title\nThe body starts on the next line. It goes on."
    assert [(s.paragraph, s.text) for s in split_sentences(text)] == [
        (0, "A title"),
        (1, "The body starts on the next line."),
        (1, "It goes on."),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('"Is this fair?" Peskov asked. He left.', ['"Is this fair?" Peskov asked.', "He left."]),
        (
            '"We will fight," she said. "It is over."',
            ['"We will fight," she said.', '"It is over."'],
        ),
        ("“Go now!” said Mr Smith. Nobody moved.", ["“Go now!” said Mr Smith.", "Nobody moved."]),
        ("“Is it fair?” he asked. Nobody knew.", ["“Is it fair?” he asked.", "Nobody knew."]),
        (
            '"Why now?" the Kremlin spokesman told reporters. Then he left.',
            ['"Why now?" the Kremlin spokesman told reporters.', "Then he left."],
        ),
        (
            '"Is this fair?" Peskov asked, "or is it not?" Nobody answered.',
            ['"Is this fair?" Peskov asked, "or is it not?"', "Nobody answered."],
        ),
        (
            "“Really?” asked the minister, who had arrived late. Silence.",
            ["“Really?” asked the minister, who had arrived late.", "Silence."],
        ),
        (
            '"Is this fair?" Dmitry Peskov, the Kremlin spokesman, asked reporters on Friday '
            "in Moscow. He left.",
            [
                '"Is this fair?" Dmitry Peskov, the Kremlin spokesman, asked reporters on '
                "Friday in Moscow.",
                "He left.",
            ],
        ),
    ],
)
def test_quote_stays_with_its_speaker(body: str, expected: list[str]) -> None:
    text = "Title\n\n" + body
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert [s.text for s in sentences[1:]] == expected


def test_a_new_sentence_with_an_apposition_after_a_quote_is_not_merged() -> None:
    body = '"We lost." Mr. Smith, who had led the team for a decade, resigned on Monday.'
    assert texts("T\n\n" + body)[1:] == [
        '"We lost."',
        "Mr. Smith, who had led the team for a decade, resigned on Monday.",
    ]


def test_new_sentence_after_a_quote_is_not_merged() -> None:
    body = '"We won." The minister said that more victories were to come next year.'
    assert texts("T\n\n" + body)[1:] == [
        '"We won."',
        "The minister said that more victories were to come next year.",
    ]
    body = '"We won." Markets rose sharply in Asia and Europe on the news today.'
    assert len(texts("T\n\n" + body)) == 3


def test_closing_quote_left_at_a_piece_start_goes_back() -> None:
    body = (
        'Coach Graham Henry said: "It was a quality performance against a very experienced '
        'side, thanking the guys who had mentored them on the tour." But the running rugby '
        "the crowd had hoped for rarely came. Marty Holah scored first. "
        '"I don\'t think he played well," he said.'
    )
    text = "T\n\n" + body
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    got = [s.text for s in sentences[1:]]
    assert got[0].endswith('on the tour."')
    assert "Marty Holah scored first." in got
    assert got[-1] == '"I don\'t think he played well," he said.'


def test_multi_sentence_quote_does_not_swallow_the_paragraph() -> None:
    # An opening mark never closed: pysbd alone keeps everything after it as one piece.
    body = (
        '"They are making simple but powerful tools available to the user. "None of them '
        'have a fancy look," he added. ' + "In the future, search will matter more. " * 12
    )
    text = "T\n\n" + body.strip()
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert len(sentences) >= 12
    assert max(len(s.text) for s in sentences) < 200


def test_curly_and_straight_quotes_and_apostrophes() -> None:
    body = "The Americans’ data was taken, he said. Kaspersky's reply: ‘no comment’. It ended."
    text = "T\n\n" + body
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert len(sentences) == 4


def test_unicode_emoji_and_rtl_offsets() -> None:
    text = (
        "Café owners 🎉 celebrate\n\n"
        "Zoë ordered crème brûlée 🍮 at 9 p.m. on Friday. Then she left.\n\n"
        "قال المتحدث إن القرار غير عادل. He said it twice.\n\n"
        "日本語の文です。 Another one here."
    )
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert sentences[0].text == "Café owners 🎉 celebrate"
    assert sentences[1].text == "Zoë ordered crème brûlée 🍮 at 9 p.m. on Friday."
    assert {s.paragraph for s in sentences} == {0, 1, 2, 3}


def test_empty_and_blank_paragraphs_are_skipped() -> None:
    text = "Title\n\n\n\n   \n\nFirst para.\n \t\n\n\nSecond para.\n\n"
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "Title"),
        (1, "First para."),
        (2, "Second para."),
    ]


def test_crlf_line_endings() -> None:
    text = "Title\r\n\r\nOne here. Two here.\r\n\r\nThree."
    sentences = split_sentences(text)
    assert_exact(text, sentences)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "Title"),
        (1, "One here."),
        (1, "Two here."),
        (2, "Three."),
    ]


def test_empty_text_and_title_only() -> None:
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []
    assert texts("Only a title") == ["Only a title"]
    # Blank lines before the first words do not make an empty title: the first line is it.
    assert [(s.paragraph, s.text) for s in split_sentences("\n\nBody.")] == [(0, "Body.")]


def test_paragraph_spans() -> None:
    text = "T\n\nA b.\n\n\nC d."
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["T", "A b.", "C d."]


def test_huge_paragraph_is_split_in_reasonable_time() -> None:
    body = " ".join(f"Sentence number {i} is here, said Mr. Jones." for i in range(1500))
    text = "Huge\n\n" + body + ' "An unclosed quote. ' + "More words follow. " * 300
    t0 = time.perf_counter()
    sentences = split_sentences(text)
    elapsed = time.perf_counter() - t0
    assert_exact(text, sentences)
    assert len(sentences) > 1500
    assert elapsed < 6  # 14 s before huge paragraphs were pre-cut


def test_typical_article_is_fast() -> None:
    body = "\n\n".join(
        f"Paragraph {i} says the U.S. economy grew 2.5% in Q{i % 4 + 1}. "
        f'"It is strong," said Dr. Ann Lee of the Fed. Markets rose.'
        for i in range(12)
    )
    text = "Economy grows\n\n" + body
    split_sentences(text)  # warm: the splitter is built once per thread
    t0 = time.perf_counter()
    for _ in range(5):
        sentences = split_sentences(text)
    per_article = (time.perf_counter() - t0) / 5
    assert len(sentences) == 1 + 12 * 3
    assert per_article < 0.5


def test_tail_that_introduces_a_new_quote_is_not_merged() -> None:
    body = (
        '“We will not give up.” She went on to say: “We never do.” '
        '“It was wrong.” Why not just say “sorry” instead?'
    )
    got = texts("T\n\n" + body)[1:]
    assert "“We will not give up.”" in got
    assert got[-1] == "Why not just say “sorry” instead?"
