-- Foundation schema. Keep SQL portable (PostgreSQL may follow): no SQLite-only types.
-- Times are UTC instants stored as ISO-8601 text, e.g. 2026-11-26T06:04:18.123Z.

-- Server-wide settings changed at run time (e.g. the default model), as opposed to the config file.
CREATE TABLE server_setting (
    name        VARCHAR(200) NOT NULL PRIMARY KEY,
    value       TEXT         NOT NULL,
    updated_at  VARCHAR(40)  NOT NULL
);

-- Who did what to what, and when: admin actions and security events.
CREATE TABLE audit_event (
    id          INTEGER      NOT NULL PRIMARY KEY AUTOINCREMENT,
    occurred_at VARCHAR(40)  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(100) NOT NULL,
    target      VARCHAR(400),
    detail      TEXT,
    request_id  VARCHAR(100)
);

CREATE INDEX audit_event_occurred_at ON audit_event (occurred_at);
