package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"aiecon/sim"
)

// Raw records of one run, streamed to a callback in id order. These scan the
// record tables: for drill-down, tests and tools, not for the listings.

func fromNull(v sql.NullInt64) int64 {
	if !v.Valid {
		return -1
	}
	return v.Int64
}

func statusCode(names []string, name, what string) (uint8, error) {
	for i, n := range names {
		if n == name {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("%s status %q is unknown to this aiecon", what, name)
}

// ScanRequests calls fn for each stored request of a run, in id order.
func (s *Store) ScanRequests(ctx context.Context, id string, fn func(sim.RequestRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT request_id, workload, session_id, step, replica, status::VARCHAR, arrival_ns,
		start_ns, first_token_ns, finish_ns, prompt_tokens, cached_tokens, output_tokens, preemptions, revenue_usd
		FROM requests WHERE run_id = ? ORDER BY request_id`, id)
	if err != nil {
		return fmt.Errorf("reading requests of run %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r sim.RequestRecord
		var sess, rep, start, first, finish sql.NullInt64
		var status string
		if err := rows.Scan(&r.ID, &r.Workload, &sess, &r.Step, &rep, &status, &r.ArrivalNs, &start, &first, &finish,
			&r.PromptTokens, &r.CachedTokens, &r.OutputTokens, &r.Preemptions, &r.RevenueUSD); err != nil {
			return fmt.Errorf("reading requests of run %s: %w", id, err)
		}
		code, err := statusCode(requestStatusNames, status, "request")
		if err != nil {
			return fmt.Errorf("reading request %d of run %s: %w", r.ID, id, err)
		}
		r.Status = sim.RequestStatus(code)
		r.Session, r.Replica = fromNull(sess), int32(fromNull(rep))
		r.StartNs, r.FirstTokenNs, r.FinishNs = fromNull(start), fromNull(first), fromNull(finish)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScanSessions calls fn for each agent session of a run, in id order. A
// run stored before sessions.failed reads as failing none (its NULL), as
// SessionRecord has no unknown.
func (s *Store) ScanSessions(ctx context.Context, id string, fn func(sim.SessionRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT session_id, workload, status::VARCHAR, start_ns, end_ns, steps_planned,
		steps_done, prompt_tokens, cached_tokens, output_tokens, context_tokens, max_turn_ns, ad_impressions, ad_clicks,
		converted, fee_usd, token_usd, commerce_usd, ad_usd, licensing_usd, counterfactual_usd, coalesce(failed, false)
		FROM sessions WHERE run_id = ? ORDER BY session_id`, id)
	if err != nil {
		return fmt.Errorf("reading sessions of run %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var x sim.SessionRecord
		var status string
		var end sql.NullInt64
		if err := rows.Scan(&x.ID, &x.Workload, &status, &x.StartNs, &end, &x.StepsPlanned, &x.StepsDone,
			&x.PromptTokens, &x.CachedTokens, &x.OutputTokens, &x.ContextTokens, &x.MaxTurnNs, &x.AdImpressions,
			&x.AdClicks, &x.Converted, &x.FeeUSD, &x.TokenUSD, &x.CommerceUSD, &x.AdUSD, &x.LicensingUSD,
			&x.CounterfactUSD, &x.Failed); err != nil {
			return fmt.Errorf("reading sessions of run %s: %w", id, err)
		}
		code, err := statusCode(sessionStatusNames, status, "session")
		if err != nil {
			return fmt.Errorf("reading session %d of run %s: %w", x.ID, id, err)
		}
		x.Status, x.EndNs = sim.SessionStatus(code), fromNull(end)
		if err := fn(x); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScanAuctions calls fn for each filled ad slot of a run, by auction then slot.
func (s *Store) ScanAuctions(ctx context.Context, id string, fn func(sim.AuctionRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT auction_id, session_id, step, at_ns, slot, bidders, bid_usd, price_usd,
		ctr, clicked, revenue_usd, latency_mult FROM auctions WHERE run_id = ? ORDER BY auction_id, slot`, id)
	if err != nil {
		return fmt.Errorf("reading auctions of run %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a sim.AuctionRecord
		if err := rows.Scan(&a.Auction, &a.Session, &a.Step, &a.AtNs, &a.Slot, &a.Bidders, &a.BidUSD, &a.PriceUSD,
			&a.CTR, &a.Clicked, &a.RevenueUSD, &a.LatencyMult); err != nil {
			return fmt.Errorf("reading auctions of run %s: %w", id, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Latency metrics of Quantiles, as defined in the requests_v view. All are
// over completed requests only, in seconds.
var quantileMetrics = map[string]string{
	"ttft":  "ttft_s",
	"tpot":  "tpot_s",
	"e2e":   "e2e_s",
	"queue": "queue_s",
}

// QuantileMetrics lists the metric names Quantiles accepts.
func QuantileMetrics() []string { return []string{"ttft", "tpot", "e2e", "queue"} }

// Quantiles computes latency quantiles (continuous, linear interpolation)
// over the stored completed requests of a run, in seconds. When the run
// stored a sample of its requests (runs.requests_sampled) they are estimates
// from that sample. A run with no such requests gives NaNs. This scans the
// run's requests: use the KPIs for listings.
func (s *Store) Quantiles(ctx context.Context, id, metric string, qs []float64) ([]float64, error) {
	col, ok := quantileMetrics[metric]
	if !ok {
		return nil, fmt.Errorf("quantiles of run %s: metric %q is not one of %s", id, metric, strings.Join(QuantileMetrics(), ", "))
	}
	if len(qs) == 0 {
		return nil, nil
	}
	for _, q := range qs {
		if !(q >= 0 && q <= 1) {
			return nil, fmt.Errorf("quantiles of run %s: quantile %v is outside [0, 1]", id, q)
		}
	}
	var res any // a list, or NULL when there is no such request
	err := s.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT quantile_cont(%s, ?::DOUBLE[]) FROM requests_v
		WHERE run_id = ? AND status = 'completed' AND %s IS NOT NULL`, col, col), qs, id).Scan(&res)
	if err != nil {
		return nil, fmt.Errorf("quantiles of %s for run %s: %w", metric, id, err)
	}
	list, _ := res.([]any)
	out := make([]float64, len(qs))
	for i := range out {
		out[i] = nan
		if i < len(list) {
			if v, ok := list[i].(float64); ok {
				out[i] = v
			}
		}
	}
	return out, nil
}
