-- Remote provider instances the operator configured. Their credentials live in provider_credential.
CREATE TABLE provider (
    id             VARCHAR(100) NOT NULL PRIMARY KEY,     -- the model id prefix, e.g. openai
    kind           VARCHAR(40)  NOT NULL,                 -- openai, openai-compatible, anthropic, gemini, huggingface
    base_url       TEXT         NOT NULL,
    headers        TEXT         NOT NULL DEFAULT '{}',    -- extra request headers (JSON object)
    allowed_models TEXT,                                  -- JSON array of upstream model ids; NULL = all listed
    created_at     VARCHAR(40)  NOT NULL,
    updated_at     VARCHAR(40)  NOT NULL
);
