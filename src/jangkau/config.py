"""One typed settings object, read from the environment (prefix ``JANGKAU_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime settings. Every field can be set as ``JANGKAU_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="JANGKAU_", env_file=".env", extra="ignore")

    var_dir: Path = Field(default=Path("var"), description="Where the SQLite file, exports and logs live.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means an SQLite file in var_dir.")
    secret_key: str = Field(default="dev-only-change-me", description="Signs session cookies and tokens.")
    timezone: str = Field(default="Asia/Jakarta", description="Time zone for showing timestamps (WIB).")
    session_max_age_seconds: int = Field(default=8 * 3600, description="A login lasts this long.")
    login_limit_user_ip: str = Field(
        default="5 per 15 minutes; 20 per day",
        description="Failed logins allowed per (username, client IP); the second, longer window is the backoff.",
    )
    login_limit_ip: str = Field(
        default="30 per 15 minutes; 200 per day", description="Failed logins allowed per client IP, any username."
    )
    login_limit_user: str = Field(
        default="100 per hour",
        description="Failed logins allowed per username from all IPs together (high: a stranger must not lock out "
        "the real user, whose own IP keeps its tighter per-IP allowance).",
    )
    totp_required_roles: str = Field(
        default="admin,rules_admin",
        description="Comma-separated roles that must sign in with a TOTP second factor (enrolment forced first).",
    )
    hsts_seconds: int = Field(
        default=31_536_000, description="max-age of the Strict-Transport-Security header sent when secure_cookies."
    )
    api_token_days: int = Field(default=30, description="Lifetime of an API token.")
    max_body_bytes: int = Field(default=2_000_000, description="Largest request body accepted (uploads excepted).")
    max_upload_bytes: int = Field(default=50_000_000, description="Largest uploaded file accepted.")
    body_limits: dict[str, int] = Field(
        default_factory=dict,
        description='Largest body per address prefix, over the two above, e.g. {"/api/v1/linkage/import": 5000000}.',
    )
    db_pool_size: int = Field(default=10, ge=1, description="Database connections kept open (PostgreSQL).")
    db_max_overflow: int = Field(default=5, ge=0, description="Extra connections opened under load, closed after.")
    db_pool_timeout_seconds: float = Field(
        default=3.0, gt=0, description="How long a request waits for a free connection before a 503 (Retry-After)."
    )
    max_concurrent_requests: int | None = Field(
        default=None, ge=1, description="Requests at work at once per process; empty: db_pool_size + db_max_overflow."
    )
    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a process remembers whom an API token belongs to (changes made elsewhere are seen "
        "within this time; 0: never remembered).",
    )
    rules_check_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often a process asks the database whether rule table versions changed (versions activated "
        "by another process take effect within this time; 0: on every request).",
    )
    retry_after_seconds: int = Field(default=2, ge=1, description="Retry-After sent with a 503 when the pool is busy.")
    secure_cookies: bool = Field(
        default=False, description="Served over HTTPS: cookies marked Secure and an HSTS header (set in production)."
    )
    rate_limit_storage: str = Field(
        default="memory://", description="Where rate-limit counters live (`limits` storage URI, e.g. redis://...)."
    )
    coverage_check_ip_limit: str = Field(default="10/minute", description="Anonymous coverage checks per IP.")
    coverage_check_nik_limit: str = Field(default="5/hour", description="Anonymous coverage checks per NIK.")
    coverage_verify_ip_limit: str = Field(default="20/minute", description="One-time codes typed per IP.")
    demo_mode: bool = Field(
        default=False, description="Demo server (`make run`): one-time codes are written to the server log."
    )
    allowed_hosts: str = Field(
        default="*",
        description="Comma-separated Host names the server answers (e.g. `jangkau.example.go.id,10.0.0.5`); "
        "others get 400. `*` answers any (development).",
    )
    workers: int = Field(default=1, ge=1, description="Web worker processes started by `jangkau serve`.")
    log_format: str = Field(
        default="text", pattern="^(text|json)$", description="Server logs: `text` or `json` (one JSON object a line)."
    )
    log_level: str = Field(default="INFO", description="Lowest level written to the server log.")
    worker_healthcheck_seconds: int = Field(
        default=30,
        ge=1,
        description="With several workers, how long uvicorn waits for a worker to answer its health ping before "
        "killing and replacing it (uvicorn's 5 s default kills workers still importing the app on a busy host).",
    )
    graceful_shutdown_seconds: int = Field(
        default=30, ge=1, description="On SIGTERM, requests in flight get this long to finish before workers stop."
    )
    queue_url: str = Field(
        default="",
        description="Job queue storage: empty = an SQLite file beside the database in var_dir (no extra service); "
        "redis://host:6379/0 or postgresql://... in production; memory:// or immediate:// for tests.",
    )
    task_retries: int = Field(default=3, description="How often a failed task is retried before it shows failed.")
    task_retry_delay_seconds: int = Field(default=60, description="First retry delay; doubled at each retry.")
    task_stale_minutes: int = Field(
        default=15, description="A running task without a heartbeat this long is taken over by the next attempt."
    )
    worker_heartbeat_seconds: float = Field(
        default=30, gt=0, description="A running `jangkau worker` writes its heartbeat row this often."
    )
    worker_stale_seconds: float = Field(
        default=120, gt=0, description="A worker whose last heartbeat is older than this counts as gone."
    )
    worker_shutdown_seconds: float = Field(
        default=300,
        gt=0,
        description="On SIGTERM a worker lets its running tasks finish this long, then exits (a task cut off is "
        "taken over from its checkpoint).",
    )
    worker_required: bool | None = Field(
        default=None,
        description="Whether /api/v1/ready needs a live worker: unset = only when JANGKAU_QUEUE_URL is redis:// or "
        "postgresql:// (a separate worker service); true or false to decide yourself.",
    )
    task_keep_days: int = Field(default=30, description="Finished task runs are kept this many days (failed: kept).")
    task_schedule: str = Field(
        default="",
        description="Schedule overrides, e.g. 'coverage.remind=0 10 * * *; report.refresh=*/10 * * * *' "
        "(cron in WIB; an invalid line or an unknown task is refused when the worker starts).",
    )
    notify_sms_url: str = Field(
        default="", description="SMS gateway base URL (POST {url}/messages; format in src/jangkau/notify/README.md)."
    )
    notify_sms_key: str = Field(default="", description="SMS gateway API key (sent as a Bearer token).")
    notify_sms_sender: str = Field(default="JANGKAU", description="SMS sender id.")
    notify_sms_callback_secret: str = Field(
        default="", description="Shared secret of the SMS gateway's callbacks (HMAC-SHA256 of the body)."
    )
    notify_whatsapp_url: str = Field(
        default="", description="WhatsApp Cloud API base URL with version, e.g. https://graph.facebook.com/v21.0."
    )
    notify_whatsapp_token: str = Field(default="", description="WhatsApp Cloud API access token.")
    notify_whatsapp_phone_number_id: str = Field(default="", description="WhatsApp Business phone-number id.")
    notify_whatsapp_app_secret: str = Field(
        default="", description="Meta app secret: checks X-Hub-Signature-256 on the WhatsApp webhook."
    )
    notify_whatsapp_verify_token: str = Field(default="", description="Token of the WhatsApp webhook's GET check.")
    notify_smtp_host: str = Field(default="", description="SMTP server for e-mail; empty: no e-mail channel.")
    notify_smtp_port: int = Field(default=587, description="SMTP port.")
    notify_smtp_user: str = Field(default="", description="SMTP login (empty: no login).")
    notify_smtp_password: str = Field(default="", description="SMTP password.")
    notify_smtp_starttls: bool = Field(default=True, description="Use STARTTLS (off for a local test server).")
    notify_email_from: str = Field(default="jangkau@localhost", description="From address of e-mails.")
    notify_rate_sms: str = Field(default="20/second", description="Messages per window to the SMS gateway.")
    notify_rate_whatsapp: str = Field(default="50/second", description="Messages per window to WhatsApp.")
    notify_rate_email: str = Field(default="10/second", description="Messages per window to the SMTP server.")
    notify_http_timeout_seconds: float = Field(default=10.0, gt=0, description="Timeout of a provider request.")
    notify_batch_size: int = Field(default=200, ge=1, description="Messages handed to one send task.")
    host: str = "127.0.0.1"
    port: int = 8000

    def totp_roles(self) -> frozenset[str]:
        """The role names of :attr:`totp_required_roles` (matched as strings: a role may be added later)."""
        return frozenset(r.strip() for r in self.totp_required_roles.split(",") if r.strip())

    def host_names(self) -> list[str]:
        """The names of :attr:`allowed_hosts`."""
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()] or ["*"]

    def resolved_database_url(self) -> str:
        """The database URL to use: the explicit one, or ``sqlite:///<var_dir>/jangkau.db``."""
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.var_dir / 'jangkau.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache with ``get_settings.cache_clear()``)."""
    return Settings()
