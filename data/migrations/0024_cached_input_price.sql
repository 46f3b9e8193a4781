-- 0024_cached_input_price: comments only, no data changes.
--
-- A workload may now bill the prompt tokens served from the prefix cache
-- at a price of its own (price.cached_input_per_mtok), so a request's
-- revenue_usd is no longer its prompt and output tokens at the input and
-- output prices: the comment says how it is billed, so that it reconciles
-- by hand from the row. Without the field (every run stored before it)
-- cached tokens bill at the input price, and the old reading holds.

COMMENT ON COLUMN requests.revenue_usd IS '[USD] token revenue billed: (prompt_tokens - cached_tokens) at the workload''s input price, cached_tokens at its cached input price (price.cached_input_per_mtok; the input price where the scenario gives none) and output_tokens at its output price, per million tokens, less the batch discount for class batch';
