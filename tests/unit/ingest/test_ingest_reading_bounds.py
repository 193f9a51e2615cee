"""Reading refuses what it should not read: a link that appears after the folder was walked,
a device (which says its size is 0 and never ends), a folder; and reads at most the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.readers import RejectedFileError, read_bounded, read_found
from bot.ingest.walk import Found, find_articles


def test_a_file_swapped_for_a_link_after_the_walk_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    story = folder / "story.txt"
    story.write_text("Title\n\nBody of the story.\n", encoding="utf-8")
    [found], _ = find_articles([folder])
    assert isinstance(found, Found)
    story.unlink()
    story.symlink_to("/etc/passwd")  # swapped in between walking and reading
    result = read_found(found)
    assert result.drafts == []
    assert [r.reason for r in result.rejected] == [
        "unreadable (Too many levels of symbolic links)"]


@pytest.mark.timeout(10)
def test_a_device_is_refused_before_reading() -> None:
    with pytest.raises(RejectedFileError, match=r"not a regular file \(a device\)"):
        read_bounded(Path("/dev/zero"), 1024)


def test_at_most_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    assert read_bounded(path, 2048) == b"x" * 2048
    with pytest.raises(RejectedFileError, match="too large"):
        read_bounded(path, 2047)
