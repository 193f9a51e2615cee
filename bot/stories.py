"""``stories remove ID`` as neutral ``Answer``s, for Discord, Slack and the CLI alike.

Removing a story deletes it and everything derived from it (``Catalogue.remove``). The story is
named by its exact id (the one ``newsbot stories`` and the answers' cards show), never found by
words: a near match must not cost somebody else's story. The permission rule is the feeds'
one: ``User.can_manage`` (decided by the adapter), from a channel, never a direct message.
"""

from __future__ import annotations

from bot.answering import texts
from bot.catalogue.base import Catalogue
from bot.intents import Intent
from bot.messages import Answer, Query, User

INTENT = Intent.STORIES
ACTIONS = ("remove",)
MANAGING = frozenset(ACTIONS)  # need ``can_manage``, from a channel
MAX_ID_SHOWN = 60


class StoryCommands:
    """remove."""

    def __init__(self, catalogue: Catalogue) -> None:
        """Commands over the shared catalogue."""
        self.catalogue = catalogue

    async def handle(self, query: Query) -> Answer:
        """``/news stories <action>`` from any platform: the ``action`` argument, then
        ``id``. Stories are bot-wide, so removing one from a direct message is refused."""
        action = query.arg("action") or ""
        if action not in MANAGING:
            return Answer.note(INTENT, f"Unknown stories command {action[:40]!r}: use one "
                                       f"of {', '.join(ACTIONS)}.")
        if query.place.is_direct:
            return Answer.note(INTENT, texts.STORIES_NOT_IN_DM)
        return await self.remove(query.user, query.arg("id") or "")

    async def remove(self, user: User, story_id: str) -> Answer:
        """Delete the story with this exact id and everything derived from it."""
        if not user.can_manage:
            return Answer.note(INTENT, texts.STORIES_REFUSAL)
        wanted = story_id.strip()
        if not wanted:
            return Answer.note(INTENT, "Which story? Give its id, as `newsbot stories` or a "
                                       "story's card shows it.")
        story = await self.catalogue.get_by_slug(wanted)
        if story is None:
            shown = wanted if len(wanted) <= MAX_ID_SHOWN else wanted[:MAX_ID_SHOWN] + "…"
            return Answer.note(INTENT, f"No story has the id {shown!r}: give the exact id "
                                       "that `newsbot stories` or a story's card shows.")
        if not await self.catalogue.remove(story.id):  # removed meanwhile by someone else
            return Answer.note(INTENT, f"The story {story.slug!r} is already gone.")
        return Answer.note(INTENT, f"Removed the story {story.slug!r} (“{story.title}”) and "
                                   "everything derived from it.", error=False)
