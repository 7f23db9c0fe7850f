-- The model registry: local models found on disk and (later) providers' models.
-- Lists and maps are JSON text; times are ISO-8601 UTC text.

CREATE TABLE model (
    id               VARCHAR(300) NOT NULL PRIMARY KEY,   -- local/<slug> or <provider>/<model>
    source           VARCHAR(100) NOT NULL,               -- 'local' or a provider id
    format           VARCHAR(40)  NOT NULL,               -- gguf, onnx, remote
    path             TEXT UNIQUE,                         -- file or folder of a local model
    name             VARCHAR(300) NOT NULL,
    size_bytes       BIGINT       NOT NULL DEFAULT 0,
    file_modified_at VARCHAR(40),                         -- to skip re-reading unchanged files
    architecture     VARCHAR(100),
    quantization     VARCHAR(40),
    context_length   INTEGER,
    parameter_count  BIGINT,
    modalities_in    TEXT         NOT NULL DEFAULT '[]',
    modalities_out   TEXT         NOT NULL DEFAULT '[]',
    capabilities     TEXT         NOT NULL DEFAULT '[]',
    parameter_schema TEXT         NOT NULL DEFAULT '{}',
    details          TEXT         NOT NULL DEFAULT '{}',
    status           VARCHAR(20)  NOT NULL CHECK (status IN ('available', 'missing', 'invalid')),
    status_reason    TEXT,
    discovered_at    VARCHAR(40)  NOT NULL,
    updated_at       VARCHAR(40)  NOT NULL
);

CREATE INDEX model_source ON model (source);
