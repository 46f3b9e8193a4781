-- 0020_utilization_occupancy: comments only, no data changes.
--
-- flops_frac divided executed FLOPs by the 16-bit peak while fp8 (W8A8)
-- GEMMs are priced at the fp8 peak, so a compute-bound fp8 fleet read
-- above 1; bandwidth_frac counted the all-reduce payload (link traffic)
-- as HBM bytes and left out decode attention's KV re-reads. Both are now
-- occupancies of the two roofs (hw.Perf.OpWork), and the comments say so.
-- Windows stored before keep the figures they were written with.

COMMENT ON COLUMN windows.flops_frac IS '[fraction] compute occupancy of the serving devices: the seconds the executed FLOPs take at the peak of the format each op runs in (an fp8 GEMM at the fp8 peak, attention at the 16-bit one) over the devices'' seconds serving, so at most 1; padding to compiled shapes and batches included, so not model FLOPs utilisation';
COMMENT ON COLUMN windows.bandwidth_frac IS '[fraction] HBM occupancy of the serving devices: the seconds the HBM bytes the step time charges take at peak HBM bandwidth (weights, activations and KV reads, decode attention''s re-reads of a shared KV head included; not the all-reduce payload, which crosses the chip-to-chip link) over the devices'' seconds serving, so at most 1';
