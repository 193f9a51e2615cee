"""Article URLs placed in chat markup (adapters.urls): found by the hostile property tests."""

from __future__ import annotations

import pytest

from adapters.urls import safe_http_url


def test_at_signs_after_the_host_are_percent_encoded() -> None:
    # "[title](https://x.example/@everyone)" put a live-looking @everyone in Discord markup.
    assert safe_http_url("https://x.example/@everyone", 3000) == "https://x.example/%40everyone"
    assert safe_http_url("HTTPS://h/a?b=@here#@c", 3000) == "HTTPS://h/a?b=%40here#%40c"


@pytest.mark.parametrize(
    "url", ["https://news.example@evil.example/", "https://user:secret@news.example/a"]
)
def test_urls_with_a_user_name_are_not_linked(url: str) -> None:
    assert safe_http_url(url, 3000) is None


def test_markup_characters_are_encoded_and_other_urls_kept() -> None:
    assert safe_http_url("http://h/(a)|b>", 3000) == "http://h/%28a%29%7Cb%3E"
    # "[t](https://x.example/\\)" escaped the ")" closing the masked link (a property test)
    assert safe_http_url("https://x.example/\\", 3000) == "https://x.example/%5C"
    assert safe_http_url("https://news.example/a?b=1", 3000) == "https://news.example/a?b=1"
    assert safe_http_url("javascript:alert(1)", 3000) is None
    assert safe_http_url("https://h/" + "a" * 3000, 3000) is None
