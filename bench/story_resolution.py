"""Do free-text questions find the right story? Run after ``newsbot ingest DATA_DIR/bbc/articles``.

For a fixed-seed sample of BBC articles, asks summary questions built from a few title words
(as a reader would phrase them) and quote questions naming a speaker of that article, then
counts how often the answer is the article the question was made from (an article stored once
for identical text counts as right), how often the engine asked which story was meant, and how
often it answered with another story.

Usage::

    .venv/bin/python bench/story_resolution.py DATA_DIR --db sqlite:////path/newsbot.db [--n 300]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.catalogue.open import open_catalogue  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.messages import Answer, Place, Query, User  # noqa: E402

STOP = {"the", "and", "for", "with", "from", "over", "into", "after", "says", "new", "set"}


def title_words(title: str, rng: random.Random, k: int) -> str:
    """``k`` of the title's longer words, in title order."""
    words = [w.strip("'\".,:;!?") for w in title.split()]
    usable = [w for w in words if len(w) > 3 and w.casefold() not in STOP]
    chosen = sorted(rng.sample(range(len(usable)), min(k, len(usable))))
    return " ".join(usable[i] for i in chosen)


def verdict(answer: Answer, wanted: set[str]) -> str:
    """right, ambiguous (asked which), wrong, or none."""
    if answer.cards:
        return "right" if answer.cards[0].ref in wanted else "wrong"
    if any(c.ref in wanted for c in answer.candidates):
        return "asked, right one listed"
    return "none"


async def main() -> None:
    """Sample, ask, count."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(5)
    catalogue = await open_catalogue(args.db)
    engine = Engine(catalogue)
    files = sorted((args.data_dir / "bbc" / "articles").rglob("*.txt"))
    counts: dict[str, Counter[str]] = {"summary (3 title words)": Counter(),
                                       "summary (2 title words)": Counter(),
                                       "quote (speaker + 2 title words)": Counter()}
    for path in rng.sample(files, args.n):
        slug = str(path.relative_to(args.data_dir / "bbc" / "articles").with_suffix(""))
        article = await catalogue.get_by_slug(slug)
        if article is None:  # stored once under the slug of an identical article
            continue
        wanted = {slug, article.slug}
        for label, k in (("summary (3 title words)", 3), ("summary (2 title words)", 2)):
            text = f"summarize the {title_words(article.title, rng, k)} story"
            counts[label][verdict(await _ask(engine, text), wanted)] += 1
        speakers = [a.speaker for a in article.analysis.attributions if a.speaker]
        if speakers:
            text = (f"what did {rng.choice(speakers)} say about "
                    f"{title_words(article.title, rng, 2)}")
            counts["quote (speaker + 2 title words)"][
                verdict(await _ask(engine, text), wanted)] += 1
    await catalogue.close()
    for label, counter in counts.items():
        total = sum(counter.values())
        shown = ", ".join(f"{k} {v} ({100 * v / total:.0f}%)" for k, v in counter.most_common())
        print(f"{label:<34} n={total}: {shown}")


async def _ask(engine: Engine, text: str) -> Answer:
    return await engine.answer(Query(text, User("bench"), Place("bench"), datetime.now(UTC)))


if __name__ == "__main__":
    asyncio.run(main())
