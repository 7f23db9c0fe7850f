-- Provider credentials (API keys, tokens, OAuth2 clients, service accounts), per user or for the
-- operator. The secret part is only ever stored encrypted: AES-256-GCM under the master key in
-- secrets/master.key, with the owner, row id and provider as associated data so a ciphertext copied
-- to another row does not decrypt. Binary values are base64 text; booleans are 0/1 integers.

CREATE TABLE provider_credential (
    id                VARCHAR(40)  NOT NULL PRIMARY KEY,
    -- 'operator' or 'user:<id>': a NULL owner_user_id would not be unique per provider (NULLs
    -- never compare equal in a UNIQUE constraint), so uniqueness is on this key instead.
    owner_key         VARCHAR(60)  NOT NULL,
    owner_user_id     VARCHAR(40)  NULL REFERENCES app_user (id) ON DELETE CASCADE, -- NULL = operator
    provider          VARCHAR(100) NOT NULL,
    type              VARCHAR(40)  NOT NULL,
    ciphertext        TEXT         NOT NULL,                -- base64 of the AES-GCM output (tag included)
    iv                VARCHAR(24)  NOT NULL,                -- base64 of the 96-bit nonce
    key_id            VARCHAR(40)  NOT NULL,                -- which master key encrypted this row
    masked            TEXT         NOT NULL DEFAULT '{}',   -- JSON: display values with secrets masked
    shared_with_users SMALLINT     NOT NULL DEFAULT 0 CHECK (shared_with_users IN (0, 1)),
    created_at        VARCHAR(40)  NOT NULL,
    updated_at        VARCHAR(40)  NOT NULL,
    CONSTRAINT provider_credential_owner_consistent CHECK (
        (owner_user_id IS NULL AND owner_key = 'operator')
        OR (owner_user_id IS NOT NULL AND owner_key = 'user:' || owner_user_id)),
    CONSTRAINT provider_credential_shared_is_operator_only CHECK (
        shared_with_users = 0 OR owner_user_id IS NULL),
    CONSTRAINT provider_credential_one_per_owner UNIQUE (owner_key, provider)
);
CREATE INDEX provider_credential_user ON provider_credential (owner_user_id);
CREATE INDEX provider_credential_key ON provider_credential (key_id);
