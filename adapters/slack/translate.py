"""Slack payloads -> neutral ``Query`` (pure: no I/O, no Bolt).

``/news`` carries its subcommand as text; ``parse_news_text`` turns it into the engine's
command and arguments. Mentions and DMs are free text, cleaned of Slack's markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.api import MAX_COUNT, Place, Query, User, ascii_int

PLATFORM = "slack"

USAGE_LINES: tuple[str, ...] = (
    "/news summary <story> - summarise one story",
    "/news quote [speaker] [about <story>] - who said what",
    '/news quote "some words" - who said them',
    "/news latest [n] - the newest stories",
    "/news search <words> - find stories",
    "/news help - this list",
    "/news digest subscribe <schedule> [tz <zone>] [max <n>] [topic <words>] "
    "[style titles|brief|full] [notify-empty] - post a digest here on a schedule "
    '(schedule: daily 09:00, weekdays 08:30, weekly mon 09:00 or cron "0 9 * * 1-5")',
    "/news digest list - this channel's digests",
    "/news digest unsubscribe|preview|now|resume <id> - manage one digest",
    "/news feeds add <url> [every <minutes>] [full-text auto|always|never] - poll a feed",
    "/news feeds remove <id> - stop polling a feed",
    "/news feeds list - the feeds and their health",
    "/news stories remove <id> - delete a story and everything derived from it",
)
DIGEST_ID_ACTIONS = ("unsubscribe", "preview", "now", "resume")

_QUOTE_ABOUT = re.compile(r"^(?:(?P<speaker>.*?)\s+)?about\s+(?P<story>.+)$", re.IGNORECASE | re.S)
_QUOTED = re.compile(r"^[\"“”'‘’](.+)[\"“”'‘’]$", re.S)
_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_SPACES = re.compile(r"\s+")

_ALIASES: dict[str, str] = {
    "summary": "summary",
    "summarise": "summary",
    "summarize": "summary",
    "quote": "quote",
    "quotes": "quote",
    "latest": "latest",
    "news": "latest",
    "search": "search",
    "find": "search",
    "help": "help",
    "?": "help",
    "digest": "digest",
    "digests": "digest",
    "feeds": "feeds",
    "feed": "feeds",
    "stories": "stories",
    "story": "stories",
}
# ``/news digest subscribe`` options: the word and the argument name it fills.
_DIGEST_OPTIONS = {
    "tz": "timezone",
    "timezone": "timezone",
    "zone": "timezone",
    "max": "max",
    "topic": "topic",
    "about": "topic",
    "style": "style",
}
_DIGEST_FLAGS = {"notify-empty": "notify_empty", "notify_empty": "notify_empty"}
_FEED_OPTIONS = {"every": "interval", "interval": "interval", "full-text": "full_text",
            "full_text": "full_text", "fulltext": "full_text"}
Parsed = tuple[tuple[tuple[str, str], ...], str | None]  # (arguments, problem)
_TOKEN = re.compile(r"\"([^\"]*)\"|“([^”]*)”|(\S+)")


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """The result of parsing ``/news`` text. ``command`` None means: show usage (``problem``)."""

    command: str | None
    args: tuple[tuple[str, str], ...] = ()
    problem: str | None = None


def unescape(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` in incoming text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_to_plain(text: str, bot_user_id: str | None = None) -> str:
    """Incoming message text as plain words: drop the bot's mention, unwrap links and mentions."""

    def unwrap(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            if bot_user_id and target[1:] == bot_user_id:
                return " "
            return "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return " "  # <!here>, <!channel>, <!subteam^...>, <!date^...>: never passed on
        return label or target

    return _SPACES.sub(" ", unescape(_LINK.sub(unwrap, text))).strip()


def parse_news_text(text: str) -> ParsedCommand:
    """Parse the text after ``/news`` into a command and its arguments."""
    words = slack_to_plain(text).split(" ", 1)
    head = words[0].lower()
    rest = words[1].strip() if len(words) > 1 else ""
    command = _ALIASES.get(head) if head else "help"
    if command is None:
        return ParsedCommand(None, problem=f"Unknown subcommand '{words[0]}'.")
    if command in _PARSERS:
        return _PARSERS[command](rest)
    if not rest:
        return ParsedCommand(None, problem=f"'/news {command}' needs some words after it.")
    key = "story" if command == "summary" else "query"
    return ParsedCommand(command, ((key, rest),))


def _parse_quote(rest: str) -> ParsedCommand:
    speaker, story = rest, ""
    match = _QUOTE_ABOUT.match(rest)
    if match:
        speaker, story = (match.group("speaker") or "").strip(), match.group("story").strip()
    args: list[tuple[str, str]] = []
    phrase = _QUOTED.match(speaker)
    if phrase:
        args.append(("phrase", phrase.group(1).strip()))
    elif speaker:
        args.append(("speaker", speaker))
    if story:
        args.append(("story", story))
    return ParsedCommand("quote", tuple(args))


def _parse_latest(rest: str) -> ParsedCommand:
    if not rest:
        return ParsedCommand("latest")
    count = ascii_int(rest)
    if count is not None and 1 <= count <= MAX_COUNT:
        return ParsedCommand("latest", (("count", str(count)),))
    return ParsedCommand(None, problem=f"'/news latest' takes a number from 1 to {MAX_COUNT}.")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Words, or "quoted phrases" (straight or curly quotes) as one token: (text, quoted)."""
    return [
        (m.group(3), False) if m.group(3) is not None else ((m.group(1) or m.group(2) or ""), True)
        for m in _TOKEN.finditer(text)
    ]


def _parse_digest(rest: str) -> ParsedCommand:
    """``digest list|subscribe ...|unsubscribe|preview|now|resume <id>``."""
    tokens = _tokens(rest)
    action = tokens[0][0].lower() if tokens else ""
    if action == "list" and len(tokens) == 1:
        return ParsedCommand("digest", (("action", "list"),))
    if action in DIGEST_ID_ACTIONS:
        if len(tokens) != 2:
            return ParsedCommand(
                None,
                problem=f"'/news digest {action}' takes one digest id, "
                "as shown by '/news digest list'.",
            )
        return ParsedCommand("digest", (("action", action), ("id", tokens[1][0])))
    if action == "subscribe":
        return _parse_subscribe(tokens[1:])
    if not action:
        return ParsedCommand(
            None,
            problem="'/news digest' needs what to do: subscribe, list, "
            "unsubscribe, preview, now or resume.",
        )
    typed = " ".join(text for text, _ in tokens)
    return ParsedCommand(None, problem=f"Unknown digest command '{typed}'.")


def _parse_subscribe(tokens: list[tuple[str, bool]]) -> ParsedCommand:
    """``<schedule> [tz <zone>] [max <n>] [topic <words>] [style <s>] [notify-empty]``: the
    schedule is every word before the first option; a topic runs until the next option (quote
    it to use an option word in it)."""

    def keyword(index: int) -> str | None:
        text, quoted = tokens[index]
        word = text.lower()
        return None if quoted else _DIGEST_OPTIONS.get(word) or _DIGEST_FLAGS.get(word)

    cut = next((i for i in range(len(tokens)) if keyword(i)), len(tokens))
    schedule = " ".join(text for text, _ in tokens[:cut])
    if not schedule:
        return ParsedCommand(
            None,
            problem="'/news digest subscribe' needs a schedule first, "
            'such as daily 09:00, weekdays 08:30 or "0 9 * * 1-5".',
        )
    args: dict[str, str] = {"action": "subscribe", "schedule": schedule}
    i = cut
    while i < len(tokens):
        name = keyword(i)
        if name is None or name in args:
            what = "is given twice" if name else "is not an option"
            return ParsedCommand(
                None, problem=f"'{tokens[i][0]}' {what} in '/news digest subscribe'."
            )
        end = i + 1
        if name == "topic":
            while end < len(tokens) and keyword(end) is None:
                end += 1
        elif name in _DIGEST_OPTIONS.values():
            end = i + 2
        value = " ".join(text for text, _ in tokens[i + 1 : end])
        if name in _DIGEST_FLAGS.values():
            value = "yes"
        elif not value or end > len(tokens):
            return ParsedCommand(None, problem=f"'{tokens[i][0]}' needs a value after it.")
        args[name] = value
        i = end
    return ParsedCommand("digest", tuple(args.items()))


def _parse_feeds(rest: str) -> ParsedCommand:
    """``feeds list|add <url> ...|remove <id>``."""
    args, problem = parse_feeds_text(rest)
    return ParsedCommand(None, problem=problem) if problem else ParsedCommand("feeds", args)


def parse_feeds_text(rest: str) -> Parsed:
    """``list`` | ``add <url> [every <n>] [full-text <mode>]`` | ``remove <id>``."""
    words = rest.split()
    action = words[0].lower() if words else ""
    if action == "list" and len(words) == 1:
        return (("action", "list"),), None
    if action == "remove":
        if len(words) != 2:
            return (), "'/news feeds remove' takes one feed id, as shown by '/news feeds list'."
        return (("action", "remove"), ("id", words[1])), None
    if action == "add":
        return _parse_add(words[1:])
    return (), "'/news feeds' needs what to do: add, remove or list."


def _parse_add(words: list[str]) -> Parsed:
    if not words:
        return (), "'/news feeds add' needs the feed's address."
    args: dict[str, str] = {"action": "add", "url": words[0]}
    rest = words[1:]
    for index in range(0, len(rest), 2):
        name = _FEED_OPTIONS.get(rest[index].lower())
        if name is None or name in args or index + 1 >= len(rest):
            return (), f"'{rest[index]}' is not understood in '/news feeds add'."
        args[name] = rest[index + 1]
    return tuple(args.items()), None


def _parse_stories(rest: str) -> ParsedCommand:
    """``stories remove <id>`` (the rest of the text: a file's id may hold spaces)."""
    words = rest.split(None, 1)
    if len(words) == 2 and words[0].lower() == "remove":
        return ParsedCommand("stories", (("action", "remove"), ("id", words[1].strip())))
    return ParsedCommand(None, problem="'/news stories remove' takes one story id, as a "
                                       "story's card or 'newsbot stories' shows it.")


_PARSERS: dict[str, Callable[[str], ParsedCommand]] = {
    "digest": _parse_digest,
    "feeds": _parse_feeds,
    "stories": _parse_stories,
    "quote": _parse_quote,
    "latest": _parse_latest,
    "help": lambda _rest: ParsedCommand("help"),
}


def command_query(
    payload: Mapping[str, Any],
    parsed: ParsedCommand,
    *,
    admin_user_ids: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> Query:
    """The ``Query`` for a ``/news`` slash command payload already parsed by ``parse_news_text``."""
    channel = str(payload.get("channel_id") or "")
    user_id = str(payload.get("user_id") or "")
    place = Place(
        platform=PLATFORM,
        channel=channel or None,
        workspace=payload.get("team_id"),
        is_direct=payload.get("channel_name") == "directmessage" or channel.startswith("D"),
    )
    return Query(
        text=slack_to_plain(str(payload.get("text") or "")),
        user=User(user_id, str(payload.get("user_name") or ""), user_id in admin_user_ids),
        place=place,
        received_at=now or datetime.now(UTC),
        command=parsed.command,
        args=parsed.args,
    )


def event_query(
    event: Mapping[str, Any],
    *,
    team_id: str | None,
    bot_user_id: str | None,
    admin_user_ids: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> Query:
    """The free-text ``Query`` for an ``app_mention`` or ``message.im`` event."""
    user_id = str(event.get("user") or "")
    place = Place(
        platform=PLATFORM,
        channel=event.get("channel"),
        workspace=event.get("team") or team_id,
        is_direct=event.get("channel_type") == "im",
    )
    return Query(
        text=slack_to_plain(str(event.get("text") or ""), bot_user_id),
        user=User(user_id, "", user_id in admin_user_ids),
        place=place,
        received_at=now or datetime.now(UTC),
    )


def is_from_bot(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """True for messages we must not answer: any bot's (ours included) and edits/joins etc."""
    if event.get("bot_id") or event.get("bot_profile"):
        return True
    if event.get("subtype") not in (None, "file_share", "thread_broadcast"):
        return True
    user = event.get("user")
    return not user or (bot_user_id is not None and user == bot_user_id)


def reply_thread_ts(event: Mapping[str, Any]) -> str | None:
    """Where to answer a mention: its thread, or a new thread under the message."""
    value = event.get("thread_ts") or event.get("ts")
    return str(value) if value else None
