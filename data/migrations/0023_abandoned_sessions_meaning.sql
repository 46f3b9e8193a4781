-- 0023_abandoned_sessions_meaning: comments only, no data changes.
--
-- A session whose model call was dropped (a full queue, no replica up) or
-- timed out in the queue ends 'abandoned', as one whose user's patience ran
-- out does, but the schema said neither, and "abandoned" elsewhere means
-- the user gave up: baseline on one instance with queue_limit 30 and
-- queue_timeout 20s (20m, drained) ends 457 sessions abandoned, 106 of
-- them by such failures (47 dropped, 59 timed out). The comment now says what the
-- status counts and how its last request tells the causes apart.

COMMENT ON COLUMN sessions.status IS '[enum] completed | abandoned | unfinished; abandoned: its user left without an answer, because the patience ran out or because the fleet dropped or timed out one of its calls; its last request (highest step) tells them apart: queue_full or timed_out the fleet, abandoned or completed (gave up during a tool call) the patience';
