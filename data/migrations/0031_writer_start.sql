-- 0031_writer_start: runs.writer_start, which start of the process named
-- by writer_pid wrote the run.
--
-- A run left "running" reads as interrupted once its writer is gone from
-- this host, and merge says whether an input's such run is being written
-- still (the input is a copy of a live store). Both asked only whether a
-- process with the writer's PID lives, so a PID the system had given to
-- another process since read as the writer, alive. On Linux the kernel
-- says when a process started (/proc/PID/stat, field 22, in clock ticks
-- since boot) and which boot it is (/proc/sys/kernel/random/boot_id):
-- together they name one process of a host for good. Runs stored before
-- this version, and those written where /proc does not say, hold NULL, and
-- their writer is judged by its PID alone, as before.

-- IF NOT EXISTS: a store whose schema_version row was lost migrates again
-- instead of failing.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS writer_start VARCHAR;

COMMENT ON COLUMN runs.writer_start IS '[text] which start of process writer_pid on writer_host wrote the run: the boot id and the start time in clock ticks since boot (/proc/sys/kernel/random/boot_id, /proc/PID/stat field 22), as BOOT_ID:TICKS, so that a PID reused since the writer exited is not taken for it; NULL where /proc does not say (not Linux) or for a run stored before this column was added (0031_writer_start)';
