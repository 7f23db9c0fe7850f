-- One row per generation: who, with which token, which model, how many tokens, how fast, how it ended.
CREATE TABLE usage_record (
    id                INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id            VARCHAR(40)  NOT NULL,
    user_id           VARCHAR(40)  REFERENCES app_user (id) ON DELETE SET NULL,
    token_id          VARCHAR(40),
    model_id          VARCHAR(300) NOT NULL,
    requested_model   VARCHAR(300) NOT NULL,
    kind              VARCHAR(20)  NOT NULL,              -- generate, embeddings
    prompt_tokens     INTEGER      NOT NULL DEFAULT 0,
    completion_tokens INTEGER      NOT NULL DEFAULT 0,
    queue_ms          BIGINT,
    first_token_ms    BIGINT,
    total_ms          BIGINT,
    tokens_per_second DOUBLE PRECISION,
    outcome           VARCHAR(20)  NOT NULL,              -- stop, length, cancelled, failed
    created_at        VARCHAR(40)  NOT NULL
);
CREATE INDEX usage_record_user ON usage_record (user_id, created_at);
