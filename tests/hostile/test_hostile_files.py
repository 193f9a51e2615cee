"""Every hostile file input through the real ingest pipeline and a real SQLite catalogue.

The small files live in ``tests/hostile/files`` (each with its expected outcome below, so a new
file needs one); what cannot be committed sensibly (links, a FIFO, names that are not UTF-8 or
hold a newline, folders 2,300 deep, 100,000-deep JSON) is built in ``tmp_path``. Whatever the
input, the ingest finishes: each bad file or line is rejected with its reason, the rest stored.
Analysis is a stand-in (no spaCy) so this stays fast; the CLI test runs the real one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.ingest.pipeline import ingest_paths
from bot.ingest.store import IngestReport
from bot.ingest.walk import MAX_DEPTH
from bot.models import Analysis, ArticleDraft, Sentence

CORPUS = Path(__file__).resolve().parent / "files"
GOOD = ("Ferry timetable changes\n\n"
        "The ferry will leave ten minutes earlier from May, the port said.\n")
STORED = "stored"
# file (or file:line) -> STORED, or a fragment of the reason it is rejected
EXPECTED = {
    "good.txt": STORED,
    "controls_and_bidi.txt": STORED,
    "bad_values.jsonl:1": STORED,
    "bad_values.jsonl:2": "published_at is out of range",
    "bad_values.jsonl:3": "published_at is out of range",
    "bad_values.jsonl:4": "title holds an invalid character",
    "bad_values.jsonl:5": "body holds an invalid character",
    "bad_values.jsonl:6": "source holds an invalid character",
    "bad_values.jsonl:7": "nested too deeply",
    "bad_values.jsonl:8": "nested too deeply",
    "bad_values.jsonl:9": "title is not a string",
    "bad_values.jsonl:10": "published_at is not a string",
    "bad_values.jsonl:11": "invalid JSON",
    "bad_values.jsonl:12": STORED,
    "utf16_lone_surrogate.txt": "not valid UTF-16",
    "utf16_odd_length.txt": "not valid UTF-16",
    "binary.txt": "binary file",
    "title_only.md": "no body",
    "empty.txt": "empty file",
}
STORED_TITLES = {
    "Harbour bridge reopens after repairs",
    "Council votes on [31mbudget[0m",  # ESC and bidi overrides stripped, the rest is text
    "Library extends opening hours",
    "Slug with a line break",
}


class StandInAnalyser:
    """One sentence per paragraph; no model."""

    async def __call__(self, drafts: Sequence[ArticleDraft]) -> list[Analysis]:
        return [self._one(d) for d in drafts]

    @staticmethod
    def _one(draft: ArticleDraft) -> Analysis:
        sentences, start = [], 0
        for index, part in enumerate((draft.title, *draft.paragraphs)):
            sentences.append(Sentence(index, part, start, start + len(part), index))
            start += len(part) + 2
        return Analysis(tuple(sentences), tuple(range(1, len(sentences))))


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    opened = await open_catalogue(f"sqlite:///{tmp_path / 'db' / 'newsbot.db'}")
    try:
        yield opened
    finally:
        await opened.close()


def reasons(report: IngestReport) -> dict[str, str]:
    """Rejections keyed by the name after the folder (``file`` or ``file:line``)."""
    return {where.rsplit("/", 1)[-1]: reason for where, reason in report.rejected}


async def test_every_corpus_file_is_stored_or_rejected_with_its_reason(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    expected_files = {key.split(":")[0] for key in EXPECTED}
    assert expected_files == {p.name for p in CORPUS.iterdir()}, "give each file an outcome"
    report = await ingest_paths(catalogue, [folder], analyser=StandInAnalyser())
    rejected = reasons(report)
    for key, outcome in EXPECTED.items():
        if outcome == STORED:
            assert key not in rejected, (key, rejected.get(key))
        else:
            assert outcome in rejected.get(key, ""), (key, rejected.get(key))
    assert len(rejected) == sum(1 for o in EXPECTED.values() if o != STORED)
    headers = await catalogue.latest(50)
    assert {h.title for h in headers} == STORED_TITLES
    broken = next(h for h in headers if h.title == "Slug with a line break")
    assert (broken.slug, broken.source) == ("fine rejected forged: yes", "Wire Service Desk")
    assert report.stopped is None


def make_deep(root: Path, depth: int, name: str, text: str) -> None:
    """``depth`` nested folders under ``root`` with a file at the bottom, built through
    directory descriptors: the full path is longer than the system allows in one string."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        with os.fdopen(out, "w", encoding="utf-8") as file:
            file.write(text)
    finally:
        os.close(fd)


@pytest.fixture
def built(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder of hostile things no repository should hold, and a file outside it."""
    root = tmp_path / "built"
    root.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret outside story\n\nNot in the folder given.\n", encoding="utf-8")
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "inside").mkdir()
    (root / "inside" / "story.txt").write_text(GOOD.replace("Ferry", "Bus"), encoding="utf-8")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "outside.txt").symlink_to(outside)
    (root / "dotdot.txt").symlink_to("../outside.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "again.txt").symlink_to(root / "inside" / "story.txt")
    (root / "folder-link").symlink_to(root / "inside")
    (root / "up-link").symlink_to(tmp_path)
    (root / "inside" / "back-to-top").symlink_to(root)  # a loop, were folder links followed
    os.mkfifo(root / "fifo.txt")
    with open(os.fsencode(root) + b"/caf\xe9.txt", "w", encoding="utf-8") as file:
        file.write(GOOD.replace("Ferry", "Tram"))
    (root / "forged\n  rejected nothing.txt: all fine.txt").write_text(
        GOOD.replace("Ferry", "Boat"), encoding="utf-8")
    lines = ['{"title": "Deep line neighbour", "body": "Stored beside the deep line."}',
             "[" * 100_000 + "]" * 100_000]
    (root / "deep.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "nested").mkdir()
    make_deep(root / "nested", 2_300, "bottom.txt", GOOD.replace("Ferry", "Cable car"))
    try:
        yield root, outside
    finally:
        # shutil.rmtree recurses once per level (RecursionError at this depth on 3.11)
        subprocess.run(["rm", "-rf", str(root)], check=True, timeout=60)


async def test_built_hostile_tree(catalogue: Catalogue, built: tuple[Path, Path]) -> None:
    root, outside = built
    report = await ingest_paths(catalogue, [root], analyser=StandInAnalyser())
    rejected = reasons(report)
    assert "outside the folder given" in rejected["passwd.txt"]
    assert "outside the folder given" in rejected["outside.txt"]
    assert "outside the folder given" in rejected["dotdot.txt"]
    assert "broken or loops" in rejected["loop.txt"]
    assert "broken or loops" in rejected["broken.txt"]
    assert "link to a folder, not followed" in rejected["folder-link"]
    assert "outside the folder given" in rejected["up-link"]
    assert "link to a folder, not followed" in rejected["back-to-top"]
    assert "not a regular file (a FIFO)" in rejected["fifo.txt"]
    assert "not valid UTF-8" in rejected["caf\\xe9.txt"]
    forged = next(w for w in rejected if w.startswith("forged"))
    assert forged == "forged\\x0a  rejected nothing.txt: all fine.txt"
    assert "control characters" in rejected[forged]
    assert "nested too deeply" in rejected["deep.jsonl:2"]
    assert any(f"more than {MAX_DEPTH} levels deep" in r for r in rejected.values())
    assert all("\n" not in where for where, _ in report.rejected)
    titles = {h.title for h in await catalogue.latest(50)}
    assert titles == {"Ferry timetable changes", "Bus timetable changes",
                      "Deep line neighbour"}
    assert "root:" not in str(await catalogue.search("root", 5))
    assert outside.read_text(encoding="utf-8").startswith("Secret")
    assert report.stopped is None


@pytest.mark.timeout(20)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
async def test_a_device_given_by_name_is_refused_not_read(
    catalogue: Catalogue, device: str
) -> None:
    if not os.path.exists(device):  # noqa: ASYNC240 - one stat, before the test
        pytest.skip(f"{device} does not exist here")
    report = await ingest_paths(catalogue, [device], analyser=StandInAnalyser())
    assert report.rejected == [(device, "not a regular file (a device), not read")]


@pytest.mark.timeout(20)
async def test_a_fifo_given_by_name_is_refused_without_blocking(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    report = await ingest_paths(catalogue, [fifo], analyser=StandInAnalyser())
    assert report.rejected == [(str(fifo), "not a regular file (a FIFO), not read")]
