"""Every setting the service reads, in one place; nothing else looks at the environment."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# argon2-cffi's parameter profiles for password hashes (marketplace.accounts.passwords).
# The largest upload the document endpoints are built to take (their handlers' own body
# limit); `documents_max_bytes` is the one people set, up to this.
UPLOAD_CEILING_BYTES = 200_000_000

PasswordProfile = Literal["RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"]


def _aliases(name: str, former: str) -> AliasChoices:
    """The setting under its name and under the name it had before (environment and
    keyword arguments both)."""
    return AliasChoices(f"MARKETPLACE_{name.upper()}", f"MARKETPLACE_{former.upper()}", former)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MARKETPLACE_", extra="ignore", populate_by_name=True
    )

    env: Literal["development", "production", "test"] = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    secret_key: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = "http://127.0.0.1:8000"

    # auto: tantivy (files under search_index_dir) on SQLite, the database's own on PostgreSQL.
    # "sqlite" (the FTS5 backend before tantivy) is refused at startup, saying what to set.
    search_backend: Literal["auto", "tantivy", "postgres", "meilisearch", "sqlite"] = "auto"
    search_index_dir: Path | None = None  # the tantivy index; default var_dir/search
    # PostgreSQL search ranked from a RUM index (Debian's postgresql-15-rum) when the
    # extension is there. Off by default: RUM 1.3.13 crashed the whole PostgreSQL server
    # (signal 11, every connection reset, crash recovery) under 16 concurrent searches at
    # 100 000 documents, sequentially it never did, and GIN on the same data never did
    # (docs/search.md, `python -m bench.pg_concurrency`). GIN ranks every match instead.
    search_pg_rum: bool = False
    meili_url: str | None = None
    meili_api_key: SecretStr | None = None
    search_backlog_alert_seconds: int = 300
    # Sentence embeddings for matching (the optional `embeddings` extra): "auto" is on when
    # the model's package imports, except under tests (env=test); "minilm" requires it.
    embeddings: Literal["off", "auto", "minilm"] = "auto"
    meili_index: str = "marketplace"
    # The in-process worker delivering outbox events (search indexing is one subscriber):
    # "auto" runs it except under tests (env=test). The MARKETPLACE_SEARCH_WORKER* names
    # from before the event outbox still work.
    event_worker: Literal["auto", "on", "off"] = Field(
        default="auto", validation_alias=_aliases("event_worker", "search_worker")
    )
    event_worker_interval_seconds: float = Field(
        default=1.0,
        gt=0,
        validation_alias=_aliases(
            "event_worker_interval_seconds", "search_worker_interval_seconds"
        ),
    )
    event_batch_size: int = Field(
        default=200,
        ge=1,
        le=5000,
        validation_alias=_aliases("event_batch_size", "search_batch_size"),
    )
    # A delivery failing for a reason other than an outage is retried with exponential
    # backoff, then parked as failed for an operator (`marketplace events failed`).
    event_max_attempts: int = Field(default=8, ge=1)
    # How long a worker's claim on a batch lasts: a worker killed mid-batch delays it so long.
    event_lease_seconds: int = Field(default=30, ge=1)
    # Delivered events are kept this long (for `marketplace events status`), then pruned.
    event_retention_days: int = Field(default=7, ge=0)

    ocid_prefix: str = "ocds-iccmkt"
    # None: the EU directive's minimum time limits per procedure; 0 switches them off (demos).
    min_tender_period_days: int | None = Field(default=None, ge=0)
    amendment_deadline_extension_days: int = Field(default=6, ge=0)

    # The database connection pool of each process: a server handles up to pool size plus
    # overflow requests at once; a request that waits longer than the pool timeout for a
    # connection is answered 503 with Retry-After instead of hanging. 15 s: a burst that
    # only saturates a process is queued (64 clients on one 2-core worker waited up to ~5 s,
    # and 5 s answered a few of them 503), while a stuck one still answers well before a
    # proxy's or client's usual 30 s.
    db_pool_size: int = Field(default=20, ge=1, le=500)
    db_max_overflow: int = Field(default=10, ge=0, le=500)
    db_pool_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    # SQLite: how long a writer waits for another process's write to finish (and, in one
    # process, for the writer before it) before its request is answered 503 with Retry-After.
    db_busy_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # `marketplace serve`: uvicorn worker processes. On SQLite they share one database file:
    # reads run in parallel, writes are still one at a time across all of them.
    web_workers: int = Field(default=1, ge=1, le=64)
    # An API token's `last_used_at` is written at most this often (its own short write after
    # the response), so read requests never write.
    token_use_interval_seconds: int = Field(default=60, ge=0)

    # Sign-in: failed attempts allowed within the window for one account from one address,
    # from one address across accounts (password spraying), and for one account from
    # anywhere (a distributed guess); past any of them, 429 with Retry-After.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_max_failures_per_account: int = Field(default=50, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # Argon2id parameters for new password hashes (argon2-cffi's profiles); CHEAPEST only
    # under env=test.
    password_hash_profile: PasswordProfile = "RFC_9106_LOW_MEMORY"
    # Mailed links (docs/notifications.md): a password reset works for this long, once; an
    # address verification for longer (people read such mail days later). At most
    # `account_mails_per_hour` of each kind go to one account in an hour.
    password_reset_minutes: int = Field(default=60, ge=1)
    email_verification_days: int = Field(default=7, ge=1)
    account_mails_per_hour: int = Field(default=3, ge=1)

    # Notifications (docs/notifications.md). Without an SMTP URL, mail is written to
    # `mail_dir` (default var/mail) as .eml files and logged: nothing leaves the machine.
    # smtp://user:pass@host:587 uses STARTTLS; smtps://...:465 implicit TLS.
    smtp_url: SecretStr | None = None
    mail_from: str = "ICC Marketplace <no-reply@marketplace.invalid>"
    mail_dir: Path | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # How often the notifications scheduler looks for deadlines, saved-search alerts and
    # digests (in-process with the event worker, or `marketplace notifications tick`).
    notifications_tick_seconds: float = Field(default=60.0, gt=0)
    # Daily digests go out at the first tick after this hour (UTC).
    digest_hour: int = Field(default=7, ge=0, le=23)
    # The edge. Forwarded headers are believed only from these proxies (addresses or CIDR
    # ranges, comma-separated); empty: the connecting address is the client.
    trusted_proxies: str = ""
    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    # Uploaded documents (docs/tenders.md#documents): content-hash named files under
    # `documents_dir` (default var/documents), each at most `documents_max_bytes`. The upload
    # endpoints accept bodies that size plus the multipart envelope, whatever max_body_bytes.
    documents_dir: Path | None = None
    documents_max_bytes: int = Field(default=20_000_000, ge=1024, le=UPLOAD_CEILING_BYTES)
    # Or in an S3-compatible bucket (`storage=s3`: AWS S3, MinIO, Ceph…; needs the `s3`
    # extra). The endpoint is for services other than AWS; credentials are never settings:
    # boto3 reads its own (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a role).
    storage: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_prefix: str = ""
    # Sessions and rate-limit counters live in Litestar stores: in this process (and a file
    # under var/ for sessions) by default, in Redis for several workers.
    redis_url: str | None = None
    session_days: int = Field(default=14, ge=1)
    # Requests per client address (or API token) per window; `rate_limits=false` switches
    # them off (load benchmarks from one address).
    rate_limits: bool = True
    rate_limit_api_per_minute: int = Field(default=600, ge=1)
    rate_limit_writes_per_minute: int = Field(default=60, ge=1)
    rate_limit_search_per_minute: int = Field(default=120, ge=1)
    rate_limit_registrations_per_hour: int = Field(default=20, ge=1)
    rate_limit_tokens_per_hour: int = Field(default=30, ge=1)
    rate_limit_password_resets_per_hour: int = Field(default=10, ge=1)

    # Payments (docs/payments.md): without a secret key payments are offline (settled by
    # the platform admin outside the platform); the fee is kept from each milestone payout.
    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    payments_fee_bps: int = Field(default=0, ge=0, le=10000)

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if self.search_backend == "sqlite":
            raise ValueError(
                "MARKETPLACE_SEARCH_BACKEND=sqlite was removed: the embedded search engine is"
                " now tantivy. Set MARKETPLACE_SEARCH_BACKEND=auto (or tantivy), then run"
                " `marketplace search reindex` once to fill its index under"
                " MARKETPLACE_SEARCH_INDEX_DIR (default var/search)."
            )
        if self.password_hash_profile == "CHEAPEST" and self.env != "test":
            raise ValueError(
                "MARKETPLACE_PASSWORD_HASH_PROFILE=CHEAPEST is for test suites only; leave it"
                " unset (RFC_9106_LOW_MEMORY) or choose RFC_9106_HIGH_MEMORY."
            )
        if self.search_index_dir is None:
            self.search_index_dir = self.var_dir / "search"
        if self.storage == "s3" and not self.s3_bucket:
            raise ValueError(
                "MARKETPLACE_STORAGE=s3 needs MARKETPLACE_S3_BUCKET (and, for a service other"
                " than AWS, MARKETPLACE_S3_ENDPOINT_URL); or set MARKETPLACE_STORAGE=local."
            )
        if self.documents_dir is None:
            self.documents_dir = self.var_dir / "documents"
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
