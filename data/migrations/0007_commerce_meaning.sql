-- 0007_commerce_meaning: a session's commerce is the take on an order
-- times the share of orders the assistant causes (the workload's
-- value.incremental, all of them when unset, as every run before this
-- version counted them).

COMMENT ON COLUMN sessions.commerce_usd IS '[USD] on conversion: order value times take rate, times the share of orders the assistant causes (value.incremental; unset, every order is credited: commerce counted gross)';
