-- Per-model runner settings chosen by an admin (threads, context size, GPU layers, parallel slots);
-- absent keys mean "automatic".
ALTER TABLE model ADD COLUMN runner_settings TEXT NOT NULL DEFAULT '{}';
