-- 0006_column_meanings: three columns whose descriptions said less than
-- the figures hold (found by recomputing a run's report from its records).
-- Runs stored before this version counted up_ns to the moment a replica
-- left the routing set, so a replica lent or scaled down while it drained
-- could show busy_ns above up_ns.

COMMENT ON COLUMN replicas.up_ns IS '[ns] simulated time the replica was serving or draining its last requests (busy_ns never exceeds it)';
COMMENT ON COLUMN windows.flops_frac IS '[fraction] executed FLOP/s over the peak of serving devices: padding to compiled shapes and batches included, so not model FLOPs utilisation';
COMMENT ON COLUMN windows.cost_usd IS '[USD] fleet cost incurred: instances, licensing and a dedicated retrain pro rata; the top-up of a fleet-idle retrain, known only at the run''s end, is in no window (the run''s cost_training_usd holds it)';
