-- 0027_session_failed: sessions.failed, which sessions the fleet failed.
--
-- A session whose model call was dropped (a full queue, no replica up) or
-- timed out in the queue ends 'abandoned', as one whose user's patience
-- ran out does, and only its last request told the two apart, which a run
-- that samples its request rows does not store. The status keeps its
-- meaning (its user left without an answer), so that stored runs, the
-- queries over them and session_abandon_rate read as before; the new flag
-- marks the fleet's part of it, as the sessions_failed and
-- session_fail_rate KPIs count it. Rows of runs stored before this
-- version are NULL: their cause is unknown, not "not failed".

-- IF NOT EXISTS: a store whose schema_version row was lost (or removed, as
-- TestOlderSchemaStore does) migrates again instead of failing.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS failed BOOLEAN;

COMMENT ON COLUMN sessions.failed IS '[flag] abandoned because the fleet dropped (a full queue, no replica up) or timed out one of its model calls, not because its user''s patience ran out; false for every other session (completed, unfinished, or abandoned by patience); NULL on runs stored before schema version 27, whose last request (highest step) tells the cause: queue_full or timed_out the fleet';
COMMENT ON COLUMN sessions.status IS '[enum] completed | abandoned | unfinished; abandoned: its user left without an answer, because the patience ran out or because the fleet dropped or timed out one of its calls (failed tells which)';
COMMENT ON COLUMN windows.abandoned IS '[count] agent sessions abandoned, those the fleet failed (sessions.failed) included';
