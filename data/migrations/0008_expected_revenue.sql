-- 0008_expected_revenue: ads sold per click and commerce are counted at
-- their expected values (docs/model.md, "Ads and commerce"): a slot earns
-- price times click-through, a completed session its chance to convert
-- times an order's take. The click and the conversion are still drawn and
-- kept. Runs stored before this version counted drawn clicks and orders.

COMMENT ON COLUMN auctions.clicked IS '[flag] a click was drawn for the slot (revenue_usd does not depend on it: it is the expected revenue)';
COMMENT ON COLUMN auctions.revenue_usd IS '[USD] expected revenue of the slot: price times ctr when sold per click, price / 1000 when per impression';
COMMENT ON COLUMN sessions.ad_clicks IS '[count] sponsored slots with a click drawn (ad_usd is the expected revenue, not these clicks'' prices)';
COMMENT ON COLUMN sessions.converted IS '[flag] a purchase was drawn (commerce_usd is the expected take, not this draw''s)';
COMMENT ON COLUMN sessions.commerce_usd IS '[USD] expected commerce of a completed session: its chance to convert times order value times take rate, times the share of orders the assistant causes (value.incremental; unset, every order is credited: commerce counted gross)';
COMMENT ON COLUMN sessions.ad_usd IS '[USD] expected ad revenue of the session''s auctions (sum of auctions.revenue_usd)';
