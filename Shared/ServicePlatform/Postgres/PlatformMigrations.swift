/// Tables every service schema has: the transactional outbox, the consumer inbox and offsets, and
/// the HTTP idempotency keys. Versions below 100 belong to the platform; services start at 100.
enum PlatformMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "platform: outbox, inbox, idempotency keys",
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
        ),
        // Idempotency keys are pruned by age in batches and purged for an erased user: the user a
        // stored answer concerns is kept beside it.
        Migration(
            version: 2,
            name: "platform: idempotency key retention and erasure",
            statements: [
                "ALTER TABLE idempotency_keys ADD COLUMN subject_user_id text",
                "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
                """
                CREATE INDEX idempotency_keys_subject ON idempotency_keys (tenant_id, subject_user_id)
                WHERE subject_user_id IS NOT NULL
                """,
            ]
        ),
        // Consumers of the system's own topics store their Kafka offsets here, in the transaction that
        // applies the messages, instead of one inbox row per event (the inbox stays for platform
        // input). Each such consumer drops the inbox rows it wrote before when it starts.
        Migration(
            version: 3,
            name: "platform: consumer offsets",
            statements: [
                """
                CREATE TABLE consumer_offsets (
                    consumer text NOT NULL,
                    topic text NOT NULL,
                    partition int4 NOT NULL,
                    next_offset int8 NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, topic, partition)
                )
                """
            ]
        ),
        // The relay deletes a row once Kafka acknowledged it, instead of marking it published and
        // pruning it an hour later: one tuple write per event instead of an update (a new tuple and
        // its index entries) and a later delete. `published_at` stays for replicas of the previous
        // version during a rolling upgrade; the relay removes rows they marked.
        Migration(
            version: 4,
            name: "platform: outbox rows deleted once delivered",
            statements: [
                "DROP INDEX outbox_published",
                "DELETE FROM outbox WHERE published_at IS NOT NULL",
            ]
        ),
    ]
}
