"""How the catalogue recognises an article: canonical URLs, slugs, identity keys, titles.

Speaker names are keyed by ``bot.nlp.names.normalise_name`` (pure Python, no model), the
same function attribution compares them with.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.models import ArticleDraft

_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"})
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_SPACE = re.compile(r"[\s_-]+")
_SPACES = re.compile(r"\s+")


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment and trailing slash, host lower-cased."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/")
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, urlencode(sorted(query)), "")
    )


def slugify(title: str, max_length: int = 80) -> str:
    """A readable ASCII-ish slug from a title ("Bringing Teams to the table" -> "bringing-...")."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SLUG_SPACE.sub("-", _SLUG_DROP.sub("", text)).strip("-")
    return text[:max_length].rstrip("-")


def identity(draft: ArticleDraft) -> str:
    """The key that says two drafts are the same article: canonical URL, else the file it was
    read from, else an explicit slug, else the content hash.

    A file is known by its absolute path, not by its slug: ``a/001.txt`` and ``b/001.txt``
    ingested from different folders both get the slug ``001`` but are different articles,
    while editing a file and ingesting it again updates it in place.
    """
    url = canonical_url(draft.url)
    if url:
        return f"url:{url}"
    if draft.origin:
        return f"file:{draft.origin}"
    if draft.slug:
        return f"slug:{draft.slug}"
    return f"hash:{draft.content_hash}"


def title_norm(title: str) -> str:
    """A title compared case- and space-insensitively."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", title)).strip().casefold()
