-- 0013_view_column_comments: the views' pass-through columns get their
-- base columns' comments in the catalog, and two runs columns say what
-- they hold. Comments only: no data changes.
--
-- Views' pass-through columns (requests_v.request_id, run_summary.name...)
-- had no comment of their own: schema.md described them from their base
-- columns, the catalog (duckdb_columns(), a client's column list) did not.
-- The store now copies each base column's comment to them whenever a
-- migration runs (inheritViewComments in data/viewcomments.go), from the
-- same text, so the two cannot drift.
--
-- A run whose writer died is marked failed by the next read-write open
-- with finished_at NULL: when it stopped is unknown. params_json holds a
-- sweep or optimize point's parameters, typed as its spec gave them, or a
-- single run's variant and --set overrides, every value a JSON string.

COMMENT ON COLUMN runs.finished_at IS '[UTC] wall-clock time the run completed or failed; NULL while it runs and for a run interrupted by its writer''s death (found running by a later read-write open and marked failed: when it stopped is not known)';
COMMENT ON COLUMN runs.params_json IS '[json] a sweep or optimize point''s parameter values, typed as the spec gave them ({"fleet.count": 2}), or a single run''s variant and --set overrides in the order applied, every value a JSON string ({"fleet.count": "2"}); NULL without any. (params_json->>''fleet.count'')::INT reads both';
