-- 0025_run_calibration: which calibration profile priced a run.
--
-- A run given a profile file (--calibration FILE, hardware.calibration)
-- recorded only its path, in resolved_yaml, and show described whatever the
-- file held when show ran: a replaced file made an old run claim it was
-- priced by another profile's timings. The run now records the profile's
-- identity and its description as it was. Runs stored before this version,
-- and runs on the built-in profile, hold NULL (the built-in profile is the
-- binary's, named by aiecon_version).

ALTER TABLE runs ADD COLUMN calibration_sha256 VARCHAR;
ALTER TABLE runs ADD COLUMN calibration_created TIMESTAMP;
ALTER TABLE runs ADD COLUMN calibration_summary VARCHAR;

COMMENT ON COLUMN runs.calibration_sha256 IS '[text] SHA-256 (hex) of the calibration profile file''s bytes as the run read them; NULL for the built-in profile and for runs stored before schema version 25. aiecon show compares it with the file at the path resolved_yaml names, and sweep --resume refuses a file that no longer matches';
COMMENT ON COLUMN runs.calibration_created IS '[UTC] the calibration profile''s own creation time (its "created" field) as the run read it; NULL as for calibration_sha256';
COMMENT ON COLUMN runs.calibration_summary IS '[text] what the calibration profile was for this run''s chips and GEMM formats (its host fit and imported device timings, as the run''s report printed it); NULL as for calibration_sha256';
