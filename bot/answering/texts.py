"""Fixed wording shown to users, kept in one place so every platform says the same."""

from __future__ import annotations

HELP_TEXT = """I answer from the stored text of the news, in the articles' own words.
Ask in plain words, or use the commands:
- summary <story>: title, source, date, link and a short summary ("summarize the Kaspersky story", "tl;dr kaspersky")
- quote [speaker] [story]: who said what, verbatim ("what did Peskov say?", "who said 'very competitive'?", "any quotes from Raimondo")
- latest [n]: the newest stories ("latest news", "what's new")
- search <words>: stories matching your words ("search ban")
- digest subscribe|list|unsubscribe|preview|now: a scheduled digest of new stories in a channel; subscribing needs permission to manage the channel (in Discord and Slack: "/news digest subscribe schedule: daily 09:00"; in a terminal: newsbot digest --help)
- feeds add|remove|list: the news feeds that keep the stories fresh (/news feeds in Discord and Slack; newsbot feeds in a terminal)
- help: this text
Quotes are shown in quotation marks only when they stand word for word in the article; reported speech is shown as the sentence that reports it."""

EMPTY_QUESTION = 'Ask me about the news, for example "summarize the Kaspersky story" or "help".'
TOO_LONG = "That question is too long ({size} characters); please keep it under {limit}."
# The teaser caveat, on a summary and on every card of a teaser (the lede of a story listed
# under another article; feed excerpts are stored as teasers too).
TEASER_NOTE = "Only a teaser is stored for this story: this is its lede, not a summary."
# Shown beside a date that is really the time the article was stored (its own date was missing).
ESTIMATED_DATE = "date unknown; shown as when it was stored"
NO_STORY = "I couldn't find a story matching \u201c{words}\u201d."
NO_STORY_SUGGEST = NO_STORY + " Closest titles are listed below."
NO_STORY_NEWEST = NO_STORY + " Nothing comes close; the newest stories are listed below."
DID_YOU_MEAN = NO_STORY + " Did you mean one of these?"
AMBIGUOUS = "Several stories match \u201c{words}\u201d about equally well. Which one did you mean?"
WHICH_STORY = 'Which story? For example "summarize the Kaspersky story".'
NO_QUOTES_SPEAKER = "I found no quotes from \u201c{speaker}\u201d in the stored articles."
NO_QUOTES_TOPIC = (
    "I found no quotes from {speaker} about \u201c{topic}\u201d; here is what {speaker} said."
)
# After "What Alan Greenspan said": whom a role or description was taken to mean, and where.
TAKEN_AS = " (\u201c{phrase}\u201d: {name}, in \u201c{title}\u201d)"
NO_QUOTES_STORY = "The story \u201c{title}\u201d quotes nobody by name."
NO_PHRASE = "Nobody is quoted saying \u201c{phrase}\u201d in the stored articles."
# A quote found by its meaning, not word for word: say so; the quote shown is verbatim.
PHRASE_CLOSEST = "The closest quote: {who}, in \u201c{title}\u201d"
PHRASE_UNATTRIBUTED = (
    "\u201c{phrase}\u201d appears in \u201c{title}\u201d, but the article does not say who said it."
)
WHOSE_QUOTES = 'Whose quotes? For example "what did Peskov say?" or "quotes from the Kaspersky story".'
NO_SEARCH_WORDS = 'What should I search for? For example "search ban".'
EMPTY_CATALOGUE = "No stories are stored yet. Add some with the command: newsbot ingest PATH"
MANAGE = (
    "Digests and feeds are managed with commands: /news {what} ... in Discord and Slack, or "
    "newsbot {what} ... in a terminal (newsbot {what} --help lists them)."
)
# The only thing a user sees about an unexpected failure (the traceback goes to the log).
UNEXPECTED = "Something went wrong (ref {ref}). It has been logged."
NOT_RUNNING = "{what} are not running in this bot process, so this command is unavailable."
SLOW_DOWN = "Slow down a little: try again in {seconds} s."
DIGEST_NOT_IN_DM = (
    "Digests are posted into channels: run this command in the channel that should get the "
    "digest (on Discord, one of the server channels; on Slack, invite me there first)."
)
FEEDS_NOT_IN_DM = (
    "Feeds are managed from a channel, not a direct message, by members who can manage "
    "channels."
)
STORIES_NOT_IN_DM = (
    "Stories are removed from a channel, not a direct message, by members who can manage "
    "channels."
)
STORIES_REFUSAL = (
    "Only members who can manage channels can remove stories "
    "(Discord: Manage Channels; Slack: workspace admins)."
)
DIGEST_REFUSAL = (
    "Only members who can manage this channel can set up, remove or post digests "
    "(Discord: Manage Channels; Slack: workspace admins)."
)
FEEDS_REFUSAL = (
    "Only members who can manage channels can add or remove feeds "
    "(Discord: Manage Channels; Slack: workspace admins)."
)
# ``digest now``: what posting did, by ``bot.digests.model.Outcome`` value.
DIGEST_NOW = {
    "posted": "Posted digest #{id}.",
    "empty": "No new stories for digest #{id}, so nothing was posted.",
    "duplicate": "Digest #{id} was already posted this minute, or is being posted now.",
    "retry": "Posting digest #{id} failed; I will retry shortly.",
    "failed": "Posting digest #{id} failed; `digest list` shows the error.",
    "paused": "The channel refused digest #{id}, so it is paused; `digest list` says why.",
    "skipped": "Digest #{id} cannot be posted from here: it is paused, or its platform is not "
               "connected in this process.",
}
# ``digest now`` found this minute's slot already taken: what became of it, by
# ``bot.digests.model.RunStatus`` value.
DIGEST_NOW_TAKEN = {
    "posted": "Digest #{id} was already posted this minute.",
    "empty": "Digest #{id} was already run this minute and found no new stories, so nothing "
             "was posted.",
    "failed": "Digest #{id} was already run this minute and failed; `digest list` shows the "
              "error.",
    "claimed": "Digest #{id} is being posted right now.",
    "retrying": "Digest #{id} already failed to post this minute; I will retry shortly.",
}
