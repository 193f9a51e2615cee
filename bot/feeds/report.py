"""What one feed poll (or ``newsbot ingest URL``) did, for the CLI, the scheduler and logs."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.ingest.store import IngestReport


@dataclass(slots=True)
class PollReport:
    """What one poll (or ``ingest URL``) did. ``error`` set: the feed itself failed."""

    url: str
    feed_id: int | None = None
    not_modified: bool = False
    error: str | None = None
    entries: int = 0  # entries in the document
    fresh: int = 0  # new or changed since this feed's last poll
    pages: int = 0  # article pages fetched and read
    ingest: IngestReport = field(default_factory=IngestReport)
    notes: list[str] = field(default_factory=list)  # stored, but with a caveat

    def summary(self) -> str:
        """One line for the CLI and logs."""
        if self.error:
            return f"failed: {self.error}"
        if self.not_modified:
            return "not modified (304)"
        r = self.ingest
        return (f"{self.entries} entries, {self.fresh} new or changed, {self.pages} pages read: "
                f"added {r.added}, updated {r.updated}, unchanged {r.unchanged}, "
                f"rejected {len(r.rejected)}")
