-- 0019_gross_margin_before_training: comments only, no data changes.
--
-- gross_margin is the margin before training (0005), but the view's
-- description called it "a fraction of revenue" alone, and sql, compare
-- and the dashboard showed it beside margin_usd, which nets training:
-- retrain-weekly/daily read a gross_margin of 0.7632 beside a margin_usd
-- of -1839.84, training being 79% of its cost. Both descriptions now say
-- "before training", as run's report does.

COMMENT ON VIEW run_summary IS 'One row per run with its headline whole-run KPIs (NULL when the run has no such KPI, e.g. not complete); units as in the KPI names: _s seconds, _usd USD, _rps requests/s; slo_attainment and utilization are fractions 0..1, gross_margin a fraction of revenue before training (margin_usd nets training), negative when cost exceeds it';
COMMENT ON COLUMN run_summary.gross_margin IS '[fraction] KPI gross_margin: the margin before training, revenue less instance and licensing cost, over revenue; margin_usd nets training too, so a run whose training outweighs its margin reads a positive gross_margin beside a negative margin_usd';
