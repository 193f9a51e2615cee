"""Feed documents -> entries, without a network: every format and the bad-input cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feeds.parse import (
    FeedParseError,
    NotAFeedError,
    html_to_paragraphs,
    parse_feed,
)
from tests.feeds.content import Item, atom, excerpt, json_feed, rss10, rss20, story

BASE = "http://127.0.0.1:1/feed"


def test_rss20_full_content_and_excerpt() -> None:
    doc = rss20([
        Item("Bridge vote", "http://127.0.0.1:1/a?utm_source=rss", story(1),
             "Tue, 03 Mar 2026 09:30:00 +0100", author="Ann Lee"),
        Item("Ferry times", "http://127.0.0.1:1/b", excerpt(2)),
    ])
    feed = parse_feed(doc, BASE, "application/rss+xml")
    assert feed.title == "Marlow Vale Gazette"
    assert feed.format == "rss20"
    first, second = feed.entries
    assert first.key == "url:http://127.0.0.1:1/a"  # tracking parameters do not count
    assert first.full_text
    assert not second.full_text
    assert first.published_at == datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
    assert first.paragraphs[1].startswith("The council of Marlow Vale")
    assert second.paragraphs == ("Story number 2: the council has voted on the footbridge. "
                                 "Read more.",)


def test_rss10_and_atom_and_json_feed() -> None:
    items = [Item("Bridge vote", "http://127.0.0.1:1/a", story(1), None, guid="tag:1",
                  author="Ann Lee")]
    rdf = parse_feed(rss10(items), BASE, "application/rdf+xml")
    assert rdf.format == "rss10"
    assert rdf.entries[0].link == "http://127.0.0.1:1/a"
    items = [Item("Bridge vote", "http://127.0.0.1:1/a", story(1), "2026-03-03T08:30:00Z",
                  author="Ann Lee")]
    feed = parse_feed(atom(items), BASE, "application/atom+xml")
    assert feed.format == "atom10"
    assert feed.entries[0].author == "Ann Lee"
    assert feed.entries[0].published_at == datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
    js = parse_feed(json_feed(items), BASE, "application/feed+json")
    assert js.format == "json1.1"
    assert js.title == "Vale JSON"
    assert js.entries[0].paragraphs == feed.entries[0].paragraphs
    assert js.entries[0].published_at == feed.entries[0].published_at


def test_script_and_style_junk_is_removed_from_every_format() -> None:
    junk = ("<p>Real words here.<script>var tracker = 1;</script></p>"
            "<style>p { color: red }</style><!-- a comment --><p>More words.</p>"
            "<noscript>Enable JavaScript</noscript><form><button>Subscribe</button></form>")
    items = [Item("Junk", "http://127.0.0.1:1/j", junk)]
    for doc, kind in ((rss20(items), "application/rss+xml"), (atom(items), "application/atom+xml"),
                      (json_feed(items), "application/feed+json")):
        entry = parse_feed(doc, BASE, kind).entries[0]
        assert entry.paragraphs == ("Real words here.", "More words."), kind


def test_html_to_paragraphs_keeps_text_around_removed_elements() -> None:
    assert html_to_paragraphs("<p>a <!-- x --> b<script>s</script> c</p><div>d<br><br>e</div>"
                              ) == ("a b c", "d", "e")
    assert html_to_paragraphs("Caf&eacute; &amp; bar") == ("Café & bar",)


def test_latin1_feed_declaring_its_encoding() -> None:
    items = [Item("Crème brûlée at the café", "http://127.0.0.1:1/c",
                  "<p>Señora Muñoz won the bake-off with a crème brûlée.</p>")]
    doc = rss20(items, title="Gazette du Café", encoding="iso-8859-1")
    assert "é".encode("latin-1") in doc  # really Latin-1 bytes
    # The server claims UTF-8: the document's own declaration wins (feedparser's override).
    feed = parse_feed(doc, BASE, "application/rss+xml", "utf-8")
    assert feed.title == "Gazette du Café"
    assert feed.entries[0].title == "Crème brûlée at the café"
    assert feed.entries[0].paragraphs == ("Señora Muñoz won the bake-off with a crème brûlée.",)


def test_entries_without_link_or_date_or_title() -> None:
    items = [Item("No link", None, story(1)), Item("", None, "<p>Untitled words only here.</p>"),
             Item("", None, "")]
    feed = parse_feed(rss20(items), BASE, "application/rss+xml")
    no_link, untitled = feed.entries
    assert no_link.link is None
    assert no_link.key.startswith("hash:")
    assert no_link.published_at is None
    assert untitled.title == "Untitled words only here."
    assert feed.rejected == (("entry 3", "no title and no text"),)


def test_malformed_xml_is_refused_with_its_position() -> None:
    doc = rss20([Item("A", "http://127.0.0.1:1/a", excerpt(1))])[:-30]  # truncated
    with pytest.raises(FeedParseError, match=r"malformed XML at line \d+, column \d+"):
        parse_feed(doc, BASE, "application/rss+xml")


def test_html_page_served_as_a_feed() -> None:
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    with pytest.raises(NotAFeedError, match="HTML page"):
        parse_feed(page, BASE, "application/rss+xml")
    with pytest.raises(NotAFeedError):
        parse_feed(b"<p>hello</p>", BASE, "text/html")


@pytest.mark.parametrize(("body", "reason"), [
    (b"", "empty response"),
    (b'{"title": "x"}', "not a JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": ', "malformed JSON"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": 3}', "without an items list"),
    (b'{"version": "https://jsonfeed.org/version/1", "title": "\xff"}', "not valid UTF-8"),
])
def test_bad_json_and_empty_documents(body: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError, match=reason):
        parse_feed(body, BASE, "application/feed+json")


def test_a_feed_listing_one_story_twice_keeps_one_entry() -> None:
    items = [Item("A", "http://127.0.0.1:1/a", excerpt(1)),
             Item("A again", "http://127.0.0.1:1/a?utm_medium=x", excerpt(1))]
    assert len(parse_feed(rss20(items), BASE, "application/rss+xml").entries) == 1


def test_a_real_feed_labelled_text_html_is_still_read() -> None:
    doc = rss20([Item("A", "http://127.0.0.1:1/a", excerpt(1))])
    assert len(parse_feed(doc, BASE, "text/html").entries) == 1
    assert len(parse_feed(b"\xef\xbb\xbf" + doc, BASE, "text/html").entries) == 1
    assert len(parse_feed(b"\n\n" + doc, BASE, "application/rss+xml").entries) == 1


def test_control_and_bidi_characters_are_stripped_as_in_files() -> None:
    """A feed cannot smuggle terminal escapes, C1 controls or bidi overrides into the catalogue
    any more than a file can."""
    title = "Bridge\x1b[31m vote\u202e\x85 \u2066passed\u2069"
    items = [Item(title, "http://127.0.0.1:1/a", "<p>Words\x07 \u202dhere.</p>", None)]
    entry = parse_feed(json_feed(items), BASE, "application/feed+json").entries[0]
    assert entry.title == "Bridge[31m vote passed"
    assert entry.paragraphs == ("Words here.",)


@pytest.mark.parametrize("html", ["<p>Ferry&#27;[31m late</p><p>Again.</p>",
                                  "<ul><li>Ferry&#x1b;[31m late</li></ul>Again&#7;.",
                                  "Ferry&#27;[31m late"])
def test_control_characters_written_as_references_do_not_fail_the_entry(html: str) -> None:
    paragraphs = html_to_paragraphs(html)
    assert paragraphs[0] == "Ferry[31m late"
    assert not any(c < " " for c in "".join(paragraphs))
