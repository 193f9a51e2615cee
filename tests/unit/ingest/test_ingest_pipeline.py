"""The pipeline with a stand-in analyser (fast): counts, rejections, progress, skips, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.ingest.pipeline import ingest_paths
from bot.ingest.seeds import default_seeds_dir, ensure_seeded
from bot.models import Analysis, ArticleDraft, Sentence

SEED_TEXT = (
    "Kremlin decries ban\n\nThe Kremlin criticised the decision.\n\n\nShare Story:\n\n"
    "Recent Stories\n\nBringing Teams to the table\n"
    "A decade ago, the idea of digital collaboration started and ended with email.\n"
)


class CountingAnalyser:
    """Per-paragraph sentences; remembers what it was asked to analyse; can fail on a title."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.seen: list[str] = []
        self.fail_on = fail_on

    async def __call__(self, drafts: Sequence[ArticleDraft]) -> list[Analysis]:
        if any(d.title == self.fail_on for d in drafts):
            raise RuntimeError("analysis exploded")
        self.seen += [d.title for d in drafts]
        return [self._one(d) for d in drafts]

    @staticmethod
    def _one(draft: ArticleDraft) -> Analysis:
        sentences, start = [], 0
        for index, part in enumerate((draft.title, *draft.paragraphs)):
            sentences.append(Sentence(index, part, start, start + len(part), index))
            start += len(part) + 2
        return Analysis(tuple(sentences), tuple(range(1, len(sentences))))


@pytest.fixture
async def empty(tmp_path: Path) -> AsyncIterator[Catalogue]:
    catalogue = await open_catalogue(f"sqlite:///{tmp_path / 'db' / 'newsbot.db'}")
    try:
        yield catalogue
    finally:
        await catalogue.close()


def make_tree(root: Path) -> Path:
    files: dict[str, bytes] = {
        "site/000.txt": SEED_TEXT.encode(),
        "business/021.txt": "Rank set to sell film unit\n\nProfits of £21.5m.\n".encode("latin-1"),
        "business/022.txt": b"Second story\n\nBody of the second story.\n",
        "bad/binary.txt": b"\x00\x01\x02\x03binary",
        "bad/empty.txt": b"",
        "bad/huge.txt": b"Huge\n\n" + b"word " * 600_000,
        "bad/title_only.txt": b"Just a title\n",
        "feed.jsonl": b'{"title": "From a feed", "body": "Feed body."}\n{broken\n',
        "notes.bin": b"\x00",
    }
    for name, data in files.items():
        path = root / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root / "articles"


async def test_ingest_reports_and_second_run_is_unchanged(empty: Catalogue, tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    analyser = CountingAnalyser()
    calls: list[tuple[int, int]] = []
    first = await ingest_paths(
        empty, [tree], progress=lambda d, t: calls.append((d, t)), analyser=analyser, batch_size=3
    )
    assert (first.added, first.updated, first.unchanged) == (5, 0, 0)
    reasons = {Path(where).name: reason for where, reason in first.rejected}
    assert set(reasons) == {
        "binary.txt", "empty.txt", "huge.txt", "title_only.txt", "feed.jsonl:2", "notes.bin",
    }  # fmt: skip
    assert "binary" in reasons["binary.txt"]
    assert "too large" in reasons["huge.txt"]
    assert calls[0] == (0, 8)
    assert calls[-1] == (8, 8)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    stored = await empty.get_by_slug("business/021")
    assert stored is not None
    assert stored.paragraphs == ("Profits of £21.5m.",)
    assert stored.published_estimated
    teaser = await empty.get_by_slug("bringing-teams-to-the-table")
    assert teaser is not None
    assert teaser.kind == "teaser"

    analysed = len(analyser.seen)
    second = await ingest_paths(empty, [tree], analyser=analyser)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 5)
    assert len(analyser.seen) == analysed  # nothing analysed again
    assert await empty.count() == 5


async def test_changed_file_is_updated_in_place(empty: Catalogue, tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    analyser = CountingAnalyser()
    await ingest_paths(empty, [tree], analyser=analyser)
    before = await empty.get_by_slug("business/022")
    (tree / "business/022.txt").write_text("Second story\n\nA corrected body.\n")
    report = await ingest_paths(empty, [tree], analyser=analyser)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 4)
    after = await empty.get_by_slug("business/022")
    assert before is not None
    assert after is not None
    assert after.id == before.id
    assert after.paragraphs == ("A corrected body.",)


async def test_single_file_slug_is_its_stem(empty: Catalogue, tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    await ingest_paths(empty, [tree / "business/021.txt"], analyser=CountingAnalyser())
    assert await empty.get_by_slug("021") is not None


async def test_failed_analysis_rejects_only_that_article(empty: Catalogue, tmp_path: Path) -> None:
    tree = make_tree(tmp_path)
    report = await ingest_paths(
        empty, [tree / "business"], analyser=CountingAnalyser(fail_on="Second story")
    )
    assert report.added == 1
    assert [(Path(w).name, r) for w, r in report.rejected] == [
        ("022.txt", "analysis failed (RuntimeError)")
    ]


def test_default_seeds_dir_is_package_data_and_the_repository_seeds() -> None:
    import bot

    assert default_seeds_dir() == Path(bot.__file__).resolve().parent / "seeds"
    assert default_seeds_dir() == (Path(__file__).resolve().parents[3] / "seeds").resolve()
    assert any(default_seeds_dir().glob("*.txt"))


async def test_ensure_seeded_only_when_empty(empty: Catalogue, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text(SEED_TEXT)
    report = await ensure_seeded(empty, seeds, analyser=CountingAnalyser())
    assert report is not None
    assert report.added == 2
    assert await ensure_seeded(empty, seeds, analyser=CountingAnalyser()) is None


async def test_a_text_over_the_parser_limit_is_rejected_before_analysis(
    empty: Catalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "long.txt").write_text("Long story\n\n" + "word " * 250_000, encoding="utf-8")
    (folder / "short.txt").write_text("Short story\n\nIt is short.\n", encoding="utf-8")
    analyser = CountingAnalyser()
    report = await ingest_paths(empty, [folder], analyser=analyser)
    assert report.added == 1
    assert analyser.seen == ["Short story"]
    ((where, reason),) = report.rejected
    assert Path(where).name == "long.txt"
    assert "too long to analyse" in reason


def write_article(path: Path, title: str, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


async def test_same_relative_path_in_two_folders_is_two_articles(
    empty: Catalogue, tmp_path: Path
) -> None:
    write_article(tmp_path / "a/001.txt", "Shares rise", "The business story.")
    write_article(tmp_path / "b/001.txt", "Cup final won", "The sport story.")
    first = await ingest_paths(empty, [tmp_path / "a"], analyser=CountingAnalyser())
    second = await ingest_paths(empty, [tmp_path / "b"], analyser=CountingAnalyser())

    assert (second.added, second.updated, second.unchanged) == (1, 0, 0)
    assert first.notes == []
    assert [(Path(w).parent.name, n) for w, n in second.notes] == [
        ("b", "stored as 001-2: 001 already names another article")
    ]
    business, sport = await empty.get_by_slug("001"), await empty.get_by_slug("001-2")
    assert business is not None
    assert sport is not None
    assert (business.title, sport.title) == ("Shares rise", "Cup final won")
    assert await empty.count() == 2
    again = await ingest_paths(empty, [tmp_path / "a", tmp_path / "b"], analyser=CountingAnalyser())
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


async def test_single_files_with_the_same_name_are_two_articles(
    empty: Catalogue, tmp_path: Path
) -> None:
    business = write_article(tmp_path / "bbc/business/021.txt", "Rank sells unit", "Profits.")
    tech = write_article(tmp_path / "bbc/tech/021.txt", "New phone out", "Gadgets.")
    await ingest_paths(empty, [business], analyser=CountingAnalyser())
    report = await ingest_paths(empty, [tech], analyser=CountingAnalyser())
    assert report.added == 1
    stored = [await empty.get_by_slug(s) for s in ("021", "021-2")]
    assert {s.title for s in stored if s is not None} == {"Rank sells unit", "New phone out"}


async def test_a_file_given_alone_after_its_folder_is_the_same_article(
    empty: Catalogue, tmp_path: Path
) -> None:
    path = write_article(tmp_path / "bbc/business/021.txt", "Rank sells unit", "Profits.")
    await ingest_paths(empty, [tmp_path / "bbc"], analyser=CountingAnalyser())
    same = await ingest_paths(empty, [path], analyser=CountingAnalyser())
    write_article(path, "Rank sells unit", "Profits, corrected.")
    edited = await ingest_paths(empty, [path], analyser=CountingAnalyser())
    assert (same.unchanged, edited.updated, await empty.count()) == (1, 1, 1)
    stored = await empty.get_by_slug("business/021")
    assert stored is not None
    assert stored.paragraphs == ("Profits, corrected.",)


async def test_identical_files_are_stored_once_and_both_ids_find_it(
    empty: Catalogue, tmp_path: Path
) -> None:
    write_article(tmp_path / "bbc/tech/079.txt", "Games get bigger", "Same words.")
    write_article(tmp_path / "bbc/tech/373.txt", "Games get bigger", "Same words.")
    analyser = CountingAnalyser()
    first = await ingest_paths(empty, [tmp_path / "bbc"], analyser=analyser)
    assert (first.added, first.unchanged, await empty.count()) == (1, 1, 1)
    assert [n for _, n in first.notes] == [
        "same text as tech/079, stored once; tech/373 finds it too"
    ]
    original, copy = await empty.get_by_slug("tech/079"), await empty.get_by_slug("tech/373")
    assert original is not None
    assert copy is not None
    assert copy.id == original.id

    analysed = len(analyser.seen)
    second = await ingest_paths(empty, [tmp_path / "bbc"], analyser=analyser)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    assert len(analyser.seen) == analysed  # the copy is known: not analysed again

    write_article(tmp_path / "bbc/tech/373.txt", "Games get bigger", "Other words now.")
    third = await ingest_paths(empty, [tmp_path / "bbc"], analyser=analyser)
    assert (third.added, third.unchanged) == (1, 1)
    split = await empty.get_by_slug("tech/373")
    assert split is not None
    assert split.id != original.id
    assert split.paragraphs == ("Other words now.",)


async def test_an_article_stored_under_its_slug_is_taken_over_by_its_file(
    empty: Catalogue, tmp_path: Path
) -> None:
    """Catalogues written before files were known by their path keyed them by slug."""
    path = write_article(tmp_path / "bbc/business/021.txt", "Rank sells unit", "Profits.")
    legacy = ArticleDraft(title="Rank sells unit", paragraphs=("Profits.",), slug="business/021")
    await empty.upsert(legacy, CountingAnalyser._one(legacy))
    again = await ingest_paths(empty, [tmp_path / "bbc"], analyser=CountingAnalyser())
    write_article(path, "Rank sells unit", "Profits, corrected.")
    edited = await ingest_paths(empty, [tmp_path / "bbc"], analyser=CountingAnalyser())
    assert (again.unchanged, again.notes, edited.updated) == (1, [], 1)
    assert await empty.count() == 1
    stored = await empty.get_by_slug("business/021")
    assert stored is not None
    assert stored.paragraphs == ("Profits, corrected.",)


async def test_on_a_fresh_install_the_full_story_leads_the_latest(
    empty: Catalogue, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text(SEED_TEXT)
    await ensure_seeded(empty, seeds, analyser=CountingAnalyser())
    newest = await empty.latest(5)
    assert [h.kind for h in newest] == ["full", "teaser"]  # same stored time: full first
    assert newest[0].title == "Kremlin decries ban"
