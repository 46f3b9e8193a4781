-- 0018_params_json_one_form: comments only, no data changes. A single
-- run's params_json wrote every value as a JSON string ({"fleet.count":
-- "2"}) where a sweep or optimize point's wrote numbers and booleans as
-- such ({"fleet.count": 2}), so that the same parameter grouped or
-- compared as JSON apart. aiecon now writes a single run's (and a
-- forecast's) number or true/false as a sweep does; rows written before
-- keep their strings, which no migration retypes: a string's text may be
-- what the user quoted ("2" set as a string), and (params_json->>'p') reads
-- both forms alike.

COMMENT ON COLUMN runs.params_json IS '[json] the parameters a run applied, as path: value in the order applied: a sweep or optimize point''s values, or a single run''s (or a forecast run''s) variant and --set overrides. A number or true/false is a JSON number or boolean ({"fleet.count": 2}), a duration, rate or name a JSON string ({"horizon": "30m"}); a list or map is a JSON array or object in a sweep point''s, the JSON string of its text in a single run''s. Single runs written before this store reached schema version 18 (schema_version.applied_at) hold every value as a JSON string ({"fleet.count": "2"}). NULL without any. (params_json->>''fleet.count'')::INT reads both forms';
