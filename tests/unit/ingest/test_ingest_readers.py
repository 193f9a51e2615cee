"""Readers on files written here: seed-like furniture and teasers, encodings, bad files, JSONL."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest import furniture
from bot.ingest.readers import (
    RejectedFileError,
    content_region,
    decode,
    find_articles,
    jsonl_draft,
    parse_article,
    read_file,
    read_text,
)
from bot.models import ArticleKind

SEED_LIKE = (
    "Kremlin decries US Kaspersky ban as 'unfair competition'\r\n"
    "\r\n"
    "The Kremlin has strongly criticised the decision.   \r\n"
    "\r\n"
    'Dmitry Peskov described Kaspersky as a "very competitive" company.\r\n'
    "\r\n"
    "Sign up to our newsletter\r\n"
    "\r\n"
    "The cybersecurity firm will pursue legal options.\r\n"
    "\r\n\r\n\r\n"
    "Share Story:\r\n"
    "\r\n"
    "Recent Stories\r\n"
    "\r\n\r\n"
    "Bringing Teams to the table – Adding value by integrating Microsoft Teams\r\n"
    "A decade ago, the idea of digital collaboration started and ended with email.\r\n"
    "\r\n"
    "Automating CX: How are businesses using AI to meet customer expectations?\r\n"
    "Virtual agents are set to supplant the traditional chatbot and their use cases evolve."
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def test_seed_like_article_teasers_and_furniture(tmp_path: Path) -> None:
    result = read_file(write(tmp_path, "000.txt", SEED_LIKE), slug="000")
    assert result.rejected == []
    article, *teasers = result.drafts
    assert article.title == "Kremlin decries US Kaspersky ban as 'unfair competition'"
    assert article.kind is ArticleKind.FULL
    assert article.slug == "000"
    assert article.published_at is None
    assert article.paragraphs == (
        "The Kremlin has strongly criticised the decision.",
        'Dmitry Peskov described Kaspersky as a "very competitive" company.',
        "The cybersecurity firm will pursue legal options.",
    )
    assert "Share" not in article.text
    assert "newsletter" not in article.text
    assert [t.kind for t in teasers] == [ArticleKind.TEASER, ArticleKind.TEASER]
    assert [t.title for t in teasers] == [
        "Bringing Teams to the table – Adding value by integrating Microsoft Teams",
        "Automating CX: How are businesses using AI to meet customer expectations?",
    ]
    assert teasers[0].paragraphs == (
        "A decade ago, the idea of digital collaboration started and ended with email.",
    )
    assert (
        teasers[0].slug == "bringing-teams-to-the-table-adding-value-by-integrating-microsoft-teams"
    )


def test_real_seed_file() -> None:
    seed = Path(__file__).resolve().parents[3] / "seeds" / "000_4f50a4a6f3bb85bf.txt"
    result = read_file(seed, slug=seed.stem)
    kinds = [d.kind for d in result.drafts]
    assert kinds == [ArticleKind.FULL, ArticleKind.TEASER, ArticleKind.TEASER]
    assert len(result.drafts[0].paragraphs) == 7
    assert result.drafts[0].paragraphs[-1].endswith("in the tech sector.")


def test_content_region_is_a_prefix_of_the_raw_text() -> None:
    region = content_region(SEED_LIKE)
    assert SEED_LIKE.startswith(region)
    assert region.endswith("legal options.")
    assert "Share Story" not in region
    plain = "Title\n\nOnly a body.\n"
    assert content_region(plain) == "Title\n\nOnly a body."


@pytest.mark.parametrize(
    ("line", "heading", "share"),
    [
        ("Recent Stories", True, False),
        ("Related", True, False),
        ("Related Stories:", True, False),
        ("Share Story:", False, True),
        ("Share this story", False, True),
        ("Sign up to our newsletter", False, True),
        ("Follow us on Twitter", False, True),
        ("Related party transactions were examined.", False, False),
        ("Shares in the company fell.", False, False),
    ],
)
def test_furniture_lines(line: str, heading: bool, share: bool) -> None:
    assert furniture.is_heading(line) is heading
    assert furniture.is_share_line(line) is share


def test_share_line_at_the_end_is_cut(tmp_path: Path) -> None:
    text = "Title\n\nBody paragraph.\n\nShare this story\nFollow us on Twitter\n"
    (draft,) = parse_article(text, slug="x")
    assert draft.paragraphs == ("Body paragraph.",)


def test_related_heading_cuts_even_without_teasers() -> None:
    text = "Title\n\nBody one.\n\nRelated\n\nOther story one\n\nOther story two\n"
    (draft,) = parse_article(text, slug="x")
    assert draft.paragraphs == ("Body one.",)


def test_wrapped_lines_join_and_title_may_touch_the_body() -> None:
    (draft,) = parse_article("Title\nfirst line\nsecond line\n\nNext.", slug="x")
    assert draft.title == "Title"
    assert draft.paragraphs == ("first line second line", "Next.")


def test_markdown_title() -> None:
    (draft,) = parse_article("# A *Markdown* story\n\nBody.", slug="m", markdown=True)
    assert draft.title == "A *Markdown* story"


def test_latin1_and_cp1252_are_decoded(tmp_path: Path) -> None:
    latin = write(
        tmp_path, "latin.txt", "Profits hit £300m\n\nA rise to £21.5m.\n".encode("latin-1")
    )
    cp1252 = write(tmp_path, "cp.txt", "It’s “quoted”\n\nBody.\n".encode("cp1252"))
    utf16 = write(tmp_path, "u16.txt", "Ünïcode\n\nBody.\n".encode("utf-16"))
    assert read_file(latin, "latin").drafts[0].title == "Profits hit £300m"
    assert read_file(cp1252, "cp").drafts[0].title == "It’s “quoted”"
    assert read_file(utf16, "u16").drafts[0].title == "Ünïcode"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n\t \n", "empty"),
        (b"Only a title\n\n\n", "no body"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_bad_files_are_rejected_with_reasons(tmp_path: Path, data: bytes, reason: str) -> None:
    result = read_file(write(tmp_path, "bad.txt", data), "bad")
    assert result.drafts == []
    assert len(result.rejected) == 1
    assert reason in result.rejected[0].reason


def test_huge_file_is_rejected_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.txt", "Title\n\n" + "word " * 500_000)
    result = read_file(path, "huge")
    assert result.drafts == []
    assert "too large" in result.rejected[0].reason
    assert read_file(path, "huge", max_bytes=10 * 1024 * 1024).drafts


def test_unreadable_file(tmp_path: Path) -> None:
    result = read_file(tmp_path / "missing.txt", "missing")
    assert "unreadable" in result.rejected[0].reason


def test_read_text_raises_value_errors(tmp_path: Path) -> None:
    with pytest.raises(RejectedFileError):
        read_text(write(tmp_path, "b.txt", b"\x00\x01"))
    with pytest.raises(OSError, match="nope"):
        read_text(tmp_path / "nope.txt")
    assert decode(b"plain") == "plain"


def test_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "One", "body": "Para one.\n\nPara two.", "url": "https://e.com/1",
                    "published_at": "2024-06-21T09:30:00", "source": "E"}),
        "{not json",
        json.dumps({"title": "No body"}),
        "",
        json.dumps(["a list"]),
        json.dumps({"title": "Bad date", "body": "x", "published_at": "yesterday"}),
        json.dumps({"title": "Two", "body": "Body.", "published_at": "2024-06-21T11:30:00+02:00"}),
    ]  # fmt: skip
    path = write(tmp_path, "feed.jsonl", "\n".join(lines))
    result = read_file(path, None)
    assert [d.title for d in result.drafts] == ["One", "Two"]
    one, two = result.drafts
    assert one.paragraphs == ("Para one.", "Para two.")
    assert (one.url, one.source) == ("https://e.com/1", "E")
    assert one.published_at == datetime(2024, 6, 21, 9, 30, tzinfo=UTC)
    assert two.published_at == datetime(2024, 6, 21, 9, 30, tzinfo=UTC)
    assert two.slug is None
    where = {r.where.rsplit(":", 1)[1]: r.reason for r in result.rejected}
    assert sorted(where, key=int) == ["2", "3", "5", "6"]
    assert "invalid JSON" in where["2"]
    assert "missing body" in where["3"]
    assert "not a JSON object" in where["5"]
    assert "published_at" in where["6"]


def test_find_articles_slugs_and_skips(tmp_path: Path) -> None:
    write(tmp_path, "news/business/021.txt", "T\n\nB.")
    write(tmp_path, "news/tech/001.md", "T2\n\nB.")
    write(tmp_path, "news/feed.jsonl", "{}")
    write(tmp_path, "news/image.png", b"\x89PNG")
    write(tmp_path, "news/.hidden/x.txt", "T\n\nB.")
    found, skipped = find_articles([tmp_path / "news", tmp_path / "news/business/021.txt"])
    assert [(f.path.name, f.slug) for f in found] == [
        ("021.txt", "business/021"),
        ("feed.jsonl", None),
        ("001.md", "tech/001"),
        ("021.txt", "021"),
    ]
    assert [(Path(s.where).name, s.reason) for s in skipped] == [
        ("image.png", "unsupported file type (.png)")
    ]
    _, missing = find_articles([tmp_path / "nowhere"])
    assert missing[0].reason == "not found"


def test_control_characters_are_stripped_at_ingestion() -> None:
    text = "Control \x1b[31mchars\x07 title\n\nBody\x9b2J with\x0ca form feed.\u202e\n"
    (draft,) = parse_article(text, slug="x")
    assert draft.title == "Control [31mchars title"
    assert draft.paragraphs == ("Body2J with a form feed.",)
    record = {"title": "Bell\x07 title", "body": "Escape\x1b[0m body", "source": "S\x9b"}
    jsonl = jsonl_draft(record)
    assert (jsonl.title, jsonl.paragraphs, jsonl.source) == ("Bell title", ("Escape[0m body",), "S")


def test_random_high_bytes_are_rejected_as_binary(tmp_path: Path) -> None:
    noise = bytes(random.Random(7).randrange(0x80, 0x100) for _ in range(4000))
    result = read_file(write(tmp_path, "noise.txt", noise), slug="noise")
    assert result.drafts == []
    ((where, reason),) = [(r.where, r.reason) for r in result.rejected]
    assert where.endswith("noise.txt")
    assert "binary" in reason


def test_latin1_text_with_accents_is_still_read(tmp_path: Path) -> None:
    text = "Caf\xe9 cr\xe8me \xe0 Paris\n\nLe th\xe9\xe2tre r\xe9ouvre, co\xfbt \xa33.\n"
    result = read_file(write(tmp_path, "fr.txt", text.encode("latin-1")), slug="fr")
    (draft,) = result.drafts
    assert draft.title == "Caf\xe9 cr\xe8me \xe0 Paris"


def test_many_replacement_characters_are_not_text(tmp_path: Path) -> None:
    data = ("Title\n\n" + "\ufffd" * 300 + " words\n").encode("utf-8")
    result = read_file(write(tmp_path, "mangled.txt", data), slug="m")
    assert [r.reason for r in result.rejected] == ["not text (many undecodable characters)"]


def test_control_characters_count_toward_binary_but_white_space_does_not() -> None:
    body = "Plain words of a news story. " * 40  # 1,160 characters: up to 5 controls pass
    spaced = body + "\t\n\r\f\v" * 50
    assert decode(spaced.encode()) == spaced
    assert decode((body + "\x01\x1b\x7f\x85\x9f").encode()) == body + "\x01\x1b\x7f\x85\x9f"
    with pytest.raises(RejectedFileError, match="control characters"):
        decode((body + "\x01\x1b\x7f\x85\x9f\x0e").encode())


def test_single_byte_text_that_is_mostly_accents_is_rejected() -> None:
    assert decode("Caf\xe9 au lait, \xa35.".encode("cp1252")) == "Caf\xe9 au lait, \xa35."
    with pytest.raises(RejectedFileError, match="non-ASCII"):
        decode(bytes(range(0xC0, 0xFF)) * 4)
