-- 0005_gross_margin: gross_margin nets the cost of serving (instances and
-- licensing), not training, an operating cost, as the forecast's gross
-- margin does; margin_usd still nets every cost. Runs stored before this
-- version with a training cadence hold the older figure (margin_usd over
-- revenue).

COMMENT ON COLUMN run_summary.gross_margin IS '[fraction] KPI gross_margin: revenue less instance and licensing cost, over revenue (training apart; margin_usd nets it too)';

-- wall_s has always been the simulation's wall-clock time; opening the
-- store, building the world and writing the last records come before and
-- after it (started_at to finished_at spans them all).
COMMENT ON COLUMN runs.wall_s IS '[s] wall-clock seconds the simulation itself took (started_at to finished_at also spans loading and storing)';
