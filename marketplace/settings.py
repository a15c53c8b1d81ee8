"""Every setting the service reads, in one place; nothing else looks at the environment."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    secret_key: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = "http://127.0.0.1:8000"

    search_backend: Literal["auto", "sqlite", "postgres", "meilisearch"] = "auto"
    meili_url: str | None = None
    meili_api_key: SecretStr | None = None
    search_backlog_alert_seconds: int = 300
    meili_index: str = "marketplace"
    # The in-process outbox worker: "auto" runs it except under tests (env=test).
    search_worker: Literal["auto", "on", "off"] = "auto"
    search_worker_interval_seconds: float = Field(default=1.0, gt=0)
    search_batch_size: int = Field(default=200, ge=1, le=5000)
    # Answers the embedded search remembers per process for the current index state; 0: none.
    search_result_cache: int = Field(default=1000, ge=0)

    ocid_prefix: str = "ocds-iccmkt"
    # None: the EU directive's minimum time limits per procedure; 0 switches them off (demos).
    min_tender_period_days: int | None = Field(default=None, ge=0)
    amendment_deadline_extension_days: int = Field(default=6, ge=0)

    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)

    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.var_dir / 'marketplace.db'}"
        if self.secret_key is None:
            if self.env == "production":
                raise ValueError(
                    "MARKETPLACE_SECRET_KEY must be set in production "
                    "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
                )
            self.secret_key = SecretStr(_local_secret(self.var_dir))
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secret_bytes(self) -> bytes:
        """A 32-byte key derived from the secret, as the session cookie backend requires."""
        import hashlib

        assert self.secret_key is not None
        return hashlib.sha256(self.secret_key.get_secret_value().encode()).digest()


def _local_secret(var_dir: Path) -> str:
    """The embedded default keeps one generated secret under var/ so sessions survive restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
