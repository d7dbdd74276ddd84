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
    lockout_threshold: int = Field(default=5, description="Failed logins in a row before the account locks.")
    lockout_minutes: int = Field(default=15, description="How long a locked account stays locked.")
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
    retry_after_seconds: int = Field(default=2, ge=1, description="Retry-After sent with a 503 when the pool is busy.")
    secure_cookies: bool = Field(default=False, description="Send cookies only over HTTPS (set in production).")
    host: str = "127.0.0.1"
    port: int = 8000

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
