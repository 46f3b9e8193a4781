package data

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"

	"aiecon/sim"
)

// appenders are the Appenders of one run: requests through the columnar
// requestAppender (the hot path: a run may have millions), the other tables
// through duckdb-go's Appenders on the run's connection, each with a reused
// row of values. DuckDB flushes an Appender by itself every ~200k rows, each
// flush its own transaction, so the rows stay bounded in memory and a crash
// loses at most the last unflushed rows of a run that is marked failed anyway.
//
// The run's small tables (workloads, replicas, KPIs) have Appenders too,
// which is cheaper than parsing and binding a multi-row INSERT of a few
// hundred parameters, work a sweep pays once per point: the workloads and
// the replicas the run starts with flush when it begins (storeMeta), the
// KPIs and replica totals in its final transaction.
type appenders struct {
	req                       *requestAppender
	sess, auc, win            *duckdb.Appender
	sessRow, aucRow, winRow   []driver.Value
	workloads, kpis, replicas *duckdb.Appender
	latencies                 *duckdb.Appender // latency_sketches
	closed                    bool
}

// requestColumns are the requests columns appended per row: every column but
// run_id, which is the same for the whole run and is added by the appender's
// INSERT (a VARCHAR per row cost about a fifth of the append time).
var requestColumns = []string{"request_id", "workload", "session_id", "step", "replica", "status", "arrival_ns",
	"start_ns", "first_token_ns", "finish_ns", "prompt_tokens", "cached_tokens", "output_tokens", "preemptions", "revenue_usd"}

func newAppenders(conn *sql.Conn, raw mapping.Database, runID string) (*appenders, error) {
	a := &appenders{}
	req, err := newRequestAppender(raw, runID)
	if err != nil {
		return nil, err
	}
	a.req = req
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("driver connection is a %T, not a driver.Conn", dc)
		}
		for _, t := range []struct {
			table string
			dst   **duckdb.Appender
		}{{"sessions", &a.sess}, {"auctions", &a.auc}, {"windows", &a.win},
			{"run_workloads", &a.workloads}, {"kpis", &a.kpis}, {"replicas", &a.replicas}, {"latency_sketches", &a.latencies}} {
			app, err := duckdb.NewAppenderFromConn(c, "", t.table)
			if err != nil {
				return fmt.Errorf("appender for %s: %w", t.table, err)
			}
			*t.dst = app
		}
		return nil
	})
	if err != nil {
		a.close()
		return nil, err
	}
	a.sessRow = make([]driver.Value, 23)
	a.aucRow = make([]driver.Value, 13)
	a.winRow = make([]driver.Value, 25)
	return a, nil
}

// close flushes and closes every Appender; later calls do nothing.
func (a *appenders) close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	var errs []error
	if err := a.req.close(); err != nil {
		errs = append(errs, err)
	}
	for _, t := range []struct {
		name string
		app  *duckdb.Appender
	}{{"sessions", a.sess}, {"auctions", a.auc}, {"windows", a.win},
		{"run_workloads", a.workloads}, {"kpis", a.kpis}, {"replicas", a.replicas}, {"latency_sketches", a.latencies}} {
		if t.app == nil {
			continue
		}
		if err := t.app.Close(); err != nil {
			errs = append(errs, fmt.Errorf("flushing %s: %w", t.name, err))
		}
	}
	return errors.Join(errs...)
}

var (
	requestStatusNames = sim.RequestStatusNames()
	sessionStatusNames = sim.SessionStatusNames()
)

// orNull maps the simulator's -1 ("unset") to NULL.
func orNull(v int64) driver.Value {
	if v < 0 {
		return nil
	}
	return v
}

// nanNull maps NaN ("undefined", e.g. a percentile of nothing) to NULL.
func nanNull(v float64) driver.Value {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

func (a *appenders) requests(rs []sim.RequestRecord) error { return a.req.append(rs) }

func (a *appenders) sessions(runID string, ss []sim.SessionRecord) error {
	v := a.sessRow
	for i := range ss {
		s := &ss[i]
		if int(s.Status) >= len(sessionStatusNames) {
			return fmt.Errorf("session %d: status code %d is unknown to the store (add it to session_status in a migration)", s.ID, s.Status)
		}
		v[0], v[1], v[2], v[3], v[4], v[5] = runID, s.ID, s.Workload, sessionStatusNames[s.Status], s.StartNs, orNull(s.EndNs)
		v[6], v[7], v[8], v[9], v[10], v[11] = s.StepsPlanned, s.StepsDone, s.PromptTokens, s.CachedTokens, s.OutputTokens, s.ContextTokens
		v[12], v[13], v[14], v[15] = s.MaxTurnNs, s.AdImpressions, s.AdClicks, s.Converted
		v[16], v[17], v[18], v[19], v[20], v[21] = s.FeeUSD, s.TokenUSD, s.CommerceUSD, s.AdUSD, s.LicensingUSD, s.CounterfactUSD
		v[22] = s.Failed
		if err := a.sess.AppendRow(v...); err != nil {
			return fmt.Errorf("appending session %d: %w", s.ID, err)
		}
	}
	return nil
}

func (a *appenders) auctions(runID string, as []sim.AuctionRecord) error {
	v := a.aucRow
	for i := range as {
		x := &as[i]
		v[0], v[1], v[2], v[3], v[4], v[5], v[6] = runID, x.Auction, x.Session, x.Step, x.AtNs, x.Slot, x.Bidders
		v[7], v[8], v[9], v[10], v[11], v[12] = x.BidUSD, x.PriceUSD, x.CTR, x.Clicked, x.RevenueUSD, x.LatencyMult
		if err := a.auc.AppendRow(v...); err != nil {
			return fmt.Errorf("appending auction %d slot %d: %w", x.Auction, x.Slot, err)
		}
	}
	return nil
}

func (a *appenders) windows(runID string, ws []sim.WindowRecord) error {
	v := a.winRow
	for i := range ws {
		w := &ws[i]
		v[0], v[1], v[2], v[3], v[4], v[5], v[6] = runID, w.StartNs, w.EndNs, w.Arrivals, w.Completions, w.Dropped, w.Abandoned
		v[7], v[8], v[9], v[10], v[11], v[12] = w.InputTokens, w.OutputTokens, nanNull(w.QueueDepthAvg), nanNull(w.RunningAvg), nanNull(w.KVUtilAvg), nanNull(w.BusyFrac)
		v[13], v[14], v[15], v[16], v[17], v[18] = nanNull(w.ReplicasUp), nanNull(w.ReplicasPaid), nanNull(w.TTFTP50S), nanNull(w.TTFTP99S), nanNull(w.TPOTP50S), nanNull(w.TPOTP99S)
		v[19], v[20], v[21], v[22], v[23], v[24] = nanNull(w.E2EP99S), nanNull(w.RevenueUSD), nanNull(w.CostUSD), nanNull(w.FLOPsFrac), nanNull(w.BandwidthFrac), nanNull(w.TrainingFrac)
		if err := a.win.AppendRow(v...); err != nil {
			return fmt.Errorf("appending window at %d ns: %w", w.StartNs, err)
		}
	}
	return nil
}

func joinColumns(cols []string) string {
	out := ""
	for i, c := range cols {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}
