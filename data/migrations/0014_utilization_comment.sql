-- Comments only.
--
-- run_summary.utilization read "KPI utilization", which an analyst takes
-- for how full the fleet is; it is busy time (the share of replica time
-- spent iterating), and a replica with one request in flight is busy.
-- How full the batches were is the KPI batch_occupancy, in kpis. A
-- migration of its own, so stores already at version 13 get the comment.

COMMENT ON COLUMN run_summary.utilization IS '[fraction] KPI utilization, busy time: the share of the serving and draining replicas'' time spent running an iteration, however few sequences it carries (a replica with one request in flight is busy all the time it decodes). Not how full the batches are: that is batch occupancy, the share of batch slots (max_num_seqs) filled, in kpis as name = ''batch_occupancy'' (scope '''' for the run, model:NAME per model of a mix)';
