/// Tables every service schema has: the transactional outbox, the consumer inbox and the
/// HTTP idempotency keys. Versions below 100 belong to the platform; services start at 100.
enum PlatformMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "platform: outbox, inbox, idempotency keys",
            statements: [
                """
                CREATE TABLE outbox (
                    id bigserial PRIMARY KEY,
                    event_id uuid NOT NULL,
                    topic text NOT NULL,
                    message_key text NOT NULL,
                    event_type text NOT NULL,
                    source text NOT NULL,
                    subject text NOT NULL,
                    tenant_id text NOT NULL,
                    occurred_at timestamptz NOT NULL,
                    traceparent text,
                    payload text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    published_at timestamptz
                )
                """,
                "CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL",
                "CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL",
                """
                CREATE TABLE inbox (
                    consumer text NOT NULL,
                    event_id text NOT NULL,
                    processed_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, event_id)
                )
                """,
                """
                CREATE TABLE idempotency_keys (
                    tenant_id text NOT NULL, key text NOT NULL, request_hash text NOT NULL,
                    status int, content_type text, body bytea,
                    created_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz,
                    PRIMARY KEY (tenant_id, key)
                )
                """,
            ]
        )
    ]
}
