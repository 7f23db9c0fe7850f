-- Per-model fallbacks: other models tried, in order, when this one fails before its first byte
-- (rate limit, 5xx, timeout) or its provider is cooling down.
ALTER TABLE model ADD COLUMN fallbacks TEXT NOT NULL DEFAULT '[]';
