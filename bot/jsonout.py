"""The stable JSON form of an ``Answer`` (``newsbot ask --json``); documented in the README.

Keys: intent, lead, notice, visibility, article (the main story or null), summary (sentences),
quotes (speaker, cue, text, kind, verbatim), cards (every story shown), candidates.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Answer, Card


def card_dict(card: Card) -> dict[str, Any]:
    """One story as data."""
    return {
        "id": card.ref,
        "title": card.title,
        "url": card.url,
        "kind": card.kind,
        "source": card.source,
        "published_at": card.published_at.isoformat() if card.published_at else None,
        "published_estimated": card.published_estimated,
        # a listing's one line, or a teaser's lede (all it has); null when there is none
        "lede": (card.body or None) if not card.summary or card.kind == "teaser" else None,
    }


def answer_dict(answer: Answer) -> dict[str, Any]:
    """The whole answer as data."""
    main = answer.cards[0] if answer.cards and answer.intent in ("summary", "quote") else None
    quotes = [
        {"speaker": q.speaker, "cue": q.cue, "text": q.text, "kind": q.kind,
         "verbatim": q.verbatim, "article": card.ref}
        for card in answer.cards for q in card.quotes
    ]
    return {
        "intent": answer.intent,
        "lead": answer.lead,
        "notice": answer.notice,
        "visibility": answer.visibility.value,
        "article": card_dict(main) if main else None,
        # a teaser has no summary: its lede is under article.lede (the notice says so)
        "summary": list(main.summary) if main and main.kind != "teaser" else [],
        "quotes": quotes,
        "cards": [card_dict(c) for c in answer.cards],
        "candidates": [card_dict(c) for c in answer.candidates],
    }
