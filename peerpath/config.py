"""Configuration from the environment, one class per environment (PEERPATH_ENV)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from peerpath.pooling import engine_options

APP_ROLE = "peerpath_app"


class ConfigError(RuntimeError):
    """The environment is missing something the chosen configuration needs."""


def sqlalchemy_url(url: str) -> str:
    """Point a plain postgresql:// URL at the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def derived_app_url(owner_url: str) -> str:
    """The app login role's URL on the owner's server, for development and tests.

    The password is derived from the owner's URL, so nothing is hard-coded and a throwaway
    server gets a throwaway password. Production must set APP_DATABASE_URL explicitly.
    """
    parts = urlsplit(owner_url)
    password = hashlib.sha256(("peerpath-app:" + owner_url).encode()).hexdigest()[:32]
    host = parts.hostname or "127.0.0.1"
    netloc = f"{APP_ROLE}:{quote(password)}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def public_url(value: str) -> str:
    """PEERPATH_PUBLIC_URL: scheme and host (and port) the platform is reached on."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") \
            or parts.query or parts.fragment:
        raise ConfigError("PEERPATH_PUBLIC_URL must look like https://peerpath.example.nhs.uk")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def decode_data_key(value: str) -> bytes:
    """PEERPATH_DATA_KEY: base64 of 32 random bytes (`python -c "import os, base64;
    print(base64.b64encode(os.urandom(32)).decode())"`)."""
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError("PEERPATH_DATA_KEY must be base64") from None
    if len(key) != 32:
        raise ConfigError("PEERPATH_DATA_KEY must be 32 bytes, base64-encoded")
    return key


class Config:
    ENV_NAME = "base"
    TESTING = False
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # owner: migrations and onboarding
    APP_DATABASE_URL: str | None = None  # login role of the web app and workers
    REDIS_URL: str | None = None
    SMTP_URL: str | None = None
    LOG_LEVEL = "INFO"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-peerpath"  # Secure, no Domain, Path=/
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = 12 * 60 * 60  # absolute limit; idle limit is enforced in auth
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
    RATELIMIT_HEADERS_ENABLED = True
    DB_STATEMENT_TIMEOUT_MS = 15_000
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000
    DATA_KEY: bytes | None = None  # platform key wrapping each trust's data key (crypto.py)
    # Where the platform is served (PEERPATH_PUBLIC_URL): every link in a message is built
    # from it or from a trust's registered host name, never from a request's Host header.
    PUBLIC_URL: str | None = None
    # Host names the platform answers on besides the trusts' registered ones
    # (PEERPATH_PLATFORM_HOSTS, comma-separated; PUBLIC_URL's host is always one of them).
    PLATFORM_HOSTS: tuple[str, ...] = ()
    MAX_CONTENT_LENGTH = 1024 * 1024  # no form or upload needs more; bigger bodies get a 413
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    # How long a trust's public page is served from the visitors' micro-cache
    # (PEERPATH_VISITOR_PAGE_SECONDS; 0 turns it off; peerpath.page_cache).
    VISITOR_PAGE_SECONDS = 10.0

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> dict:
        env = os.environ if environ is None else environ
        settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key in ("SECRET_KEY", "DATABASE_URL", "APP_DATABASE_URL", "REDIS_URL", "SMTP_URL",
                    "LOG_LEVEL"):
            if env.get(key):
                settings[key] = env[key]
        # Per-token API limits, e.g. "600 per minute" (peerpath.api has the defaults).
        for key in ("API_RATE_LIMIT_READ", "API_RATE_LIMIT_WRITE"):
            if env.get(key):
                settings[key] = env[key]
        if env.get("PEERPATH_VISITOR_PAGE_SECONDS"):
            settings["VISITOR_PAGE_SECONDS"] = float(env["PEERPATH_VISITOR_PAGE_SECONDS"])
        if env.get("MAX_CONTENT_LENGTH"):
            settings["MAX_CONTENT_LENGTH"] = int(env["MAX_CONTENT_LENGTH"])
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
            settings["SQLALCHEMY_ENGINE_OPTIONS"], env)
        if env.get("PEERPATH_DATA_KEY"):
            settings["DATA_KEY"] = decode_data_key(env["PEERPATH_DATA_KEY"])
        if env.get("PEERPATH_PUBLIC_URL"):
            settings["PUBLIC_URL"] = public_url(env["PEERPATH_PUBLIC_URL"])
        if env.get("PEERPATH_PLATFORM_HOSTS"):
            settings["PLATFORM_HOSTS"] = tuple(
                h.strip().lower() for h in env["PEERPATH_PLATFORM_HOSTS"].split(",") if h.strip())
        cls.complete(settings)
        return settings

    @classmethod
    def complete(cls, settings: dict) -> None:
        missing = [k for k in ("DATABASE_URL", "REDIS_URL") if not settings.get(k)]
        if missing:
            raise ConfigError(
                f"{', '.join(missing)} not set: run through `make run` / `make test`, or "
                "`eval $(peerpath services env)` after `peerpath services up`."
            )
        if not settings.get("APP_DATABASE_URL"):
            settings["APP_DATABASE_URL"] = derived_app_url(settings["DATABASE_URL"])
        settings["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(settings["APP_DATABASE_URL"])
        settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"]
        public_host = urlsplit(settings.get("PUBLIC_URL") or "").hostname
        hosts = (*settings["PLATFORM_HOSTS"], *cls.LOCAL_HOSTS, public_host)
        settings["PLATFORM_HOSTS"] = frozenset(h for h in hosts if h)

    LOCAL_HOSTS: tuple[str, ...] = ()  # loopback names, answered outside production only


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False  # served over plain http on 127.0.0.1
    REMEMBER_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "peerpath"  # the __Host- prefix needs Secure
    # Loopback names answered as the platform; demo trusts register *.localhost host names
    # (browsers resolve them to loopback), which are answered as any registered host is.
    LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")

    @classmethod
    def complete(cls, settings: dict) -> None:
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = cls.local_key("secret-key", settings).hex()
        super().complete(settings)
        if not settings.get("DATA_KEY"):
            settings["DATA_KEY"] = cls.local_key("data-key", settings)

    @classmethod
    def local_key(cls, name: str, settings: dict) -> bytes:
        """Development: 32 random bytes generated once into .peerpath/<name> (0600), so
        every process of `make run` (gunicorn workers, the RQ worker) agrees, sessions and
        encrypted data survive restarts, and nothing leaves the machine."""
        path = Path(__file__).resolve().parent.parent / ".peerpath" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f".{name}.{os.getpid()}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(base64.b64encode(os.urandom(32)).decode())
            try:
                os.link(draft, path)  # atomic: the first process to get here wins
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return decode_data_key(path.read_text().strip())


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}

    @classmethod
    def local_key(cls, name: str, settings: dict) -> bytes:
        """Tests: derived from the throwaway database's URL, so the test process and its
        forked or spawned workers agree without writing a file."""
        return hashlib.sha256(f"peerpath-{name}:{settings['DATABASE_URL']}".encode()).digest()


class ProductionConfig(Config):
    ENV_NAME = "production"

    @classmethod
    def complete(cls, settings: dict) -> None:
        missing = [k for k in ("SECRET_KEY", "APP_DATABASE_URL") if not settings.get(k)]
        if not settings.get("DATA_KEY"):
            missing.append("PEERPATH_DATA_KEY")
        if not settings.get("PUBLIC_URL"):
            missing.append("PEERPATH_PUBLIC_URL")  # the address every message's links point to
        if missing:
            raise ConfigError(f"production refuses to start without {', '.join(missing)}")
        if len(settings["SECRET_KEY"]) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production")
        super().complete(settings)


CONFIGS = {c.ENV_NAME: c for c in (DevelopmentConfig, TestConfig, ProductionConfig)}


def load_config(environ: dict[str, str] | None = None) -> dict:
    env = os.environ if environ is None else environ
    name = env.get("PEERPATH_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"PEERPATH_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name].from_environment(env)
