"""Feeds and pages written for these tests (invented towns and people; no real site's text)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from xml.sax.saxutils import escape

STORY_BODY = (
    "The council of Marlow Vale voted on Tuesday to rebuild the old footbridge over the Tarn, "
    "ending a dispute that had run for three winters.",
    "“We listened to every objection and we still think the bridge is worth saving,” said "
    "Councillor Ada Penrose, who chaired the meeting.",
    "Work is due to start in the spring and should take eleven months. The ferry will run "
    "every half hour while the crossing is closed.",
    "Residents on the east bank said they were relieved. Shopkeeper Tom Ellery said the "
    "detour had cost him a third of his trade.",
    "The county engineer, Rhiannon Doyle, told the meeting the new deck would be wider and "
    "lit at night, and that the old iron railings would be restored rather than replaced.",
)


@dataclass(frozen=True)
class Item:
    """One story as a feed lists it."""

    title: str
    link: str | None
    body: str  # HTML
    date: str | None = None  # RFC 822 for RSS, ISO for Atom/JSON
    guid: str | None = None
    author: str | None = None


def story(n: int, extra: str = "") -> str:
    """A full story (long enough to count as full text), as HTML paragraphs."""
    lead = f"<p>Story number {n}{extra}: the town of Marlow Vale made news again.</p>"
    return lead + "".join(f"<p>{escape(p)}</p>" for p in STORY_BODY)


def excerpt(n: int) -> str:
    """A one-sentence excerpt, as feeds that want the click carry."""
    return f"<p>Story number {n}: the council has voted on the footbridge. Read more.</p>"


def rss20(items: list[Item], title: str = "Marlow Vale Gazette", encoding: str = "utf-8") -> bytes:
    """An RSS 2.0 document; bodies in content:encoded when long, else in description."""
    parts = []
    for it in items:
        tag = "content:encoded" if len(it.body) > 300 else "description"
        parts.append(
            "<item>"
            f"<title>{escape(it.title)}</title>"
            + (f"<link>{escape(it.link)}</link>" if it.link else "")
            + (f"<guid isPermaLink=\"false\">{escape(it.guid)}</guid>" if it.guid else "")
            + (f"<pubDate>{it.date}</pubDate>" if it.date else "")
            + (f"<author>{escape(it.author)}</author>" if it.author else "")
            + f"<{tag}>{escape(it.body)}</{tag}></item>")
    doc = (f'<?xml version="1.0" encoding="{encoding}"?>'
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           f"<channel><title>{escape(title)}</title><link>http://127.0.0.1/</link>"
           f"<description>Local news</description>{''.join(parts)}</channel></rss>")
    return doc.encode(encoding)


def rss10(items: list[Item], title: str = "Tarn Valley Courier") -> bytes:
    """An RSS 1.0 (RDF) document."""
    seq = "".join(f'<rdf:li rdf:resource="{escape(it.link or "")}"/>' for it in items)
    entries = "".join(
        f'<item rdf:about="{escape(it.link or "")}"><title>{escape(it.title)}</title>'
        f"<link>{escape(it.link or '')}</link><description>{escape(it.body)}</description>"
        + (f"<dc:date>{it.date}</dc:date>" if it.date else "") + "</item>" for it in items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="http://127.0.0.1/"><title>{escape(title)}</title>'
        f"<link>http://127.0.0.1/</link><description>d</description>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>{entries}</rdf:RDF>"
    ).encode()


def atom(items: list[Item], title: str = "Vale Online") -> bytes:
    """An Atom 1.0 document with HTML content."""
    entries = "".join(
        f"<entry><title>{escape(it.title)}</title>"
        + (f'<link rel="alternate" href="{escape(it.link)}"/>' if it.link else "")
        + f"<id>{escape(it.guid or it.link or it.title)}</id>"
        + (f"<updated>{it.date}</updated>" if it.date else "")
        + (f"<author><name>{escape(it.author)}</name></author>" if it.author else "")
        + f'<content type="html">{escape(it.body)}</content></entry>' for it in items)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:vale</id>"
            f"<updated>2026-03-01T10:00:00Z</updated>{entries}</feed>").encode()


def json_feed(items: list[Item], title: str = "Vale JSON") -> bytes:
    """A JSON Feed 1.1 document."""
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": title,
        "items": [{k: v for k, v in {
            "id": it.guid or it.link or it.title, "url": it.link, "title": it.title,
            "content_html": it.body, "date_published": it.date,
            "authors": [{"name": it.author}] if it.author else None}.items() if v is not None}
            for it in items]}).encode()


def page(title: str, paragraphs: tuple[str, ...] = STORY_BODY) -> bytes:
    """An article page with site furniture, a script and a style around the story."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)} | Marlow Vale Gazette</title>"
        "<script>window.tracker = {id: 'nope'}; document.write('ad');</script>"
        "<style>body { font-family: serif }</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/sport'>Sport</a> <a href='/weather'>Weather</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}"
        "<script>console.log('inline junk inside the article')</script></article>"
        "<footer><p>Copyright Marlow Vale Gazette. All rights reserved.</p></footer>"
        "</body></html>").encode()
