-- Identity and access: users, web login sessions, API tokens, invites, model access rules.
-- Secrets are never stored: passwords as Argon2id PHC strings, session ids, token secrets and
-- invite codes as SHA-256 hex digests. Booleans are 0/1 integers (portable to PostgreSQL smallint).

CREATE TABLE app_user (
    id                  VARCHAR(40)  NOT NULL PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL UNIQUE,      -- normalised: lower case
    display_name        VARCHAR(200),
    role                VARCHAR(20)  NOT NULL CHECK (role IN ('admin', 'user')),
    password_hash       VARCHAR(300) NOT NULL,
    disabled            SMALLINT     NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    preferences         TEXT         NOT NULL DEFAULT '{}', -- JSON: preferred models, defaults, layout, theme
    created_at          VARCHAR(40)  NOT NULL,
    updated_at          VARCHAR(40)  NOT NULL,
    password_changed_at VARCHAR(40)  NOT NULL
);

CREATE TABLE login_session (
    id_hash      VARCHAR(64)  NOT NULL PRIMARY KEY,         -- SHA-256 of the cookie value
    user_id      VARCHAR(40)  NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token   VARCHAR(64)  NOT NULL,
    created_at   VARCHAR(40)  NOT NULL,
    last_seen_at VARCHAR(40)  NOT NULL,
    expires_at   VARCHAR(40)  NOT NULL,                     -- absolute end, whatever the activity
    user_agent   VARCHAR(300)
);
CREATE INDEX login_session_user ON login_session (user_id);

CREATE TABLE api_token (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,         -- the token's public id
    user_id      VARCHAR(40)  NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL,                     -- SHA-256 of the whole token
    scopes       VARCHAR(400) NOT NULL,                     -- space-separated
    models       TEXT,                                      -- JSON array of model ids; NULL = any
    created_at   VARCHAR(40)  NOT NULL,
    expires_at   VARCHAR(40),
    last_used_at VARCHAR(40),
    revoked_at   VARCHAR(40)
);
CREATE INDEX api_token_user ON api_token (user_id);

CREATE TABLE invite (
    id         VARCHAR(40)  NOT NULL PRIMARY KEY,
    code_hash  VARCHAR(64)  NOT NULL UNIQUE,                -- SHA-256 of the code
    role       VARCHAR(20)  NOT NULL CHECK (role IN ('admin', 'user')),
    note       VARCHAR(400),
    created_by VARCHAR(40)  REFERENCES app_user (id) ON DELETE SET NULL,
    created_at VARCHAR(40)  NOT NULL,
    expires_at VARCHAR(40)  NOT NULL,
    used_at    VARCHAR(40),
    used_by    VARCHAR(40)  REFERENCES app_user (id) ON DELETE SET NULL,
    revoked_at VARCHAR(40)
);

-- A model with no row is open to every user. Admins may always use every model.
CREATE TABLE model_access_rule (
    model_id      VARCHAR(300) NOT NULL PRIMARY KEY,
    allowed_roles VARCHAR(100) NOT NULL DEFAULT '',         -- space-separated roles, e.g. 'user'
    allowed_users TEXT         NOT NULL DEFAULT '[]',       -- JSON array of user ids
    updated_at    VARCHAR(40)  NOT NULL,
    updated_by    VARCHAR(40)
);
