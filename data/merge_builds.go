package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Merging the shards of a sweep (or of a forecast) that two aiecon builds
// made pooled both builds' runs in one summary without a word, though a
// build may simulate the same point otherwise (a new default, a corrected
// mechanism): the very pooling `aiecon sweep --resume` refuses unless
// --allow-other-build. Merge refuses it too unless MergeOptions says to
// pool knowingly, and it reports, without refusing, the builds of the runs
// it copies beside those the output already holds: a store may hold many
// builds' runs, each keeping its build in runs.aiecon_version, as long as
// no summary pools them.

// MergeOptions are the choices of one merge.
type MergeOptions struct {
	// AllowOtherBuild merges runs into a sweep (or periods into a forecast)
	// whose work in the output another build made; Merge reports them in
	// MergeStats.Pooled.
	AllowOtherBuild bool
	// ForecastReports joins the report a forecast here holds (held) with
	// an input's report of the same forecast (in: another shard of its
	// split), giving the report to keep; nil keeps held. The store knows
	// no report's contents, so the caller that does gives it
	// (forecast.MergeReports): held alone is one shard's, and its notes
	// covered that shard's periods only.
	ForecastReports func(held, in string) (string, error)
}

// BuildCount is an aiecon build (runs.aiecon_version, "" where none was
// recorded) and how many complete runs it made.
type BuildCount struct {
	Version string
	Runs    int
}

// BuildMix is a sweep or a forecast to which a merge adds the work of a
// build other than those that made its work in the output.
type BuildMix struct {
	Kind, ID string       // "sweep" or "forecast", and its id
	Out, In  []BuildCount // the builds of its complete runs in the output, and of those the input adds
}

// Finding says which builds made what, for one mix.
func (b BuildMix) Finding(input string) string {
	if b.Kind == "forecast" {
		return fmt.Sprintf("forecast %s: the output's periods were computed by %s, and %s adds periods computed by %s",
			b.ID, buildList(b.Out, false), input, buildList(b.In, false))
	}
	verb := "were"
	if sumRuns(b.Out) == 1 {
		verb = "was"
	}
	return fmt.Sprintf("sweep %s: its %s in the output %s made by %s, and %s adds %d made by %s",
		b.ID, runsWord(sumRuns(b.Out)), verb, buildList(b.Out, true), input, sumRuns(b.In), buildList(b.In, true))
}

// ErrOtherBuild is wrapped by *OtherBuildError.
var ErrOtherBuild = errors.New("runs of another aiecon build")

// OtherBuildError refuses to merge an input that would pool the work of
// two builds in one sweep or forecast; nothing of the input was merged.
type OtherBuildError struct {
	Input string
	Mixes []BuildMix
}

func (e *OtherBuildError) Unwrap() error { return ErrOtherBuild }

// Finding is what differs, without the advice.
func (e *OtherBuildError) Finding() string {
	var parts []string
	for _, m := range e.Mixes {
		parts = append(parts, m.Finding(e.Input))
	}
	return strings.Join(parts, "; ")
}

func (e *OtherBuildError) Error() string {
	return fmt.Sprintf("merging %s: %s: a build may simulate the same point otherwise (a new default, a corrected mechanism), "+
		"and the summary would pool both builds' runs; nothing of %s was merged", e.Input, e.Finding(), e.Input)
}

// buildName names a build as the sweep's refusal to resume does.
func buildName(v string) string {
	if v == "" {
		return "an aiecon that recorded no version"
	}
	return "aiecon " + v
}

// buildList names builds, with their counts where counts says so.
func buildList(bs []BuildCount, counts bool) string {
	var parts []string
	for _, b := range bs {
		if counts && len(bs) > 1 {
			parts = append(parts, fmt.Sprintf("%s (%d)", buildName(b.Version), b.Runs))
		} else {
			parts = append(parts, buildName(b.Version))
		}
	}
	return strings.Join(parts, " and ")
}

func sumRuns(bs []BuildCount) int {
	n := 0
	for _, b := range bs {
		n += b.Runs
	}
	return n
}

func runsWord(n int) string {
	if n == 1 {
		return "1 complete run"
	}
	return fmt.Sprintf("%d complete runs", n)
}

// NewBuilds are the builds in copied that held does not have.
func NewBuilds(copied, held []BuildCount) []BuildCount {
	var out []BuildCount
	for _, c := range copied {
		if !slices.ContainsFunc(held, func(h BuildCount) bool { return h.Version == c.Version }) {
			out = append(out, c)
		}
	}
	return out
}

// builds reads the builds of the complete runs the input adds (those in
// merge_copy) and of those the output holds, into st, and returns the
// sweeps and forecasts to which the input adds another build's work.
func (m merger) builds(st *MergeStats) ([]BuildMix, error) {
	var err error
	if st.CopiedBuilds, err = m.buildCounts(`SELECT aiecon_version, count(*) FROM merge_runs
		WHERE status = 'complete' AND run_id IN (SELECT run_id FROM merge_copy) GROUP BY ALL ORDER BY 2 DESC, 1`); err != nil {
		return nil, err
	}
	if st.HeldBuilds, err = m.buildCounts(`SELECT aiecon_version, count(*) FROM main.runs
		WHERE status = 'complete' GROUP BY ALL ORDER BY 2 DESC, 1`); err != nil {
		return nil, err
	}
	mixes, err := m.sweepMixes()
	if err != nil {
		return nil, err
	}
	fm, err := m.forecastMixes()
	return append(mixes, fm...), err
}

func (m merger) buildCounts(q string) ([]BuildCount, error) {
	rows, err := m.tx.QueryContext(m.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("merging %s: reading the runs' builds: %w", m.input, err)
	}
	defer rows.Close()
	var out []BuildCount
	for rows.Next() {
		var b BuildCount
		if err := rows.Scan(&b.Version, &b.Runs); err != nil {
			return nil, fmt.Errorf("merging %s: reading the runs' builds: %w", m.input, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// sweepMixes lists the sweeps to which the input adds complete runs of a
// build that made none of the sweep's complete runs in the output (a
// sweep the output has no complete run of pools nothing).
func (m merger) sweepMixes() ([]BuildMix, error) {
	rows, err := m.tx.QueryContext(m.ctx, `WITH i AS (SELECT sweep_id, aiecon_version, count(*) AS n FROM merge_runs
			WHERE status = 'complete' AND sweep_id IS NOT NULL AND run_id IN (SELECT run_id FROM merge_copy) GROUP BY ALL),
		o AS (SELECT sweep_id, aiecon_version, count(*) AS n FROM main.runs
			WHERE status = 'complete' AND sweep_id IN (SELECT sweep_id FROM i) GROUP BY ALL)
		SELECT sweep_id, false, aiecon_version, n FROM i WHERE sweep_id IN (SELECT sweep_id FROM o)
		UNION ALL SELECT sweep_id, true, aiecon_version, n FROM o
		ORDER BY 1, 2, 4 DESC, 3`)
	if err != nil {
		return nil, fmt.Errorf("merging %s: reading the sweeps' builds: %w", m.input, err)
	}
	defer rows.Close()
	var all []BuildMix
	for rows.Next() {
		var id string
		var out bool
		var b BuildCount
		if err := rows.Scan(&id, &out, &b.Version, &b.Runs); err != nil {
			return nil, fmt.Errorf("merging %s: reading the sweeps' builds: %w", m.input, err)
		}
		if len(all) == 0 || all[len(all)-1].ID != id {
			all = append(all, BuildMix{Kind: "sweep", ID: id})
		}
		if mix := &all[len(all)-1]; out {
			mix.Out = append(mix.Out, b)
		} else {
			mix.In = append(mix.In, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("merging %s: reading the sweeps' builds: %w", m.input, err)
	}
	var mixes []BuildMix
	for _, mix := range all {
		if len(NewBuilds(mix.In, mix.Out)) > 0 {
			mixes = append(mixes, mix)
		}
	}
	return mixes, nil
}

// forecastMixes lists the forecasts (the shards of one) that the output
// and the input hold as computed by different builds: the merge would add
// the input's periods to the output's.
func (m merger) forecastMixes() ([]BuildMix, error) {
	rows, err := m.tx.QueryContext(m.ctx, `SELECT o.forecast_id, o.aiecon_version, i.aiecon_version
		FROM main.forecasts o JOIN aiecon_merge_input.forecasts i ON i.forecast_id = o.forecast_id
		WHERE i.aiecon_version <> o.aiecon_version
		  AND EXISTS (SELECT 1 FROM aiecon_merge_input.forecast_periods p WHERE p.forecast_id = i.forecast_id AND NOT EXISTS
			(SELECT 1 FROM main.forecast_periods q WHERE q.forecast_id = p.forecast_id AND q.variant = p.variant
				AND q.sample = p.sample AND q.period = p.period AND q.metric = p.metric))
		ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("merging %s: reading the forecasts' builds: %w", m.input, err)
	}
	defer rows.Close()
	var mixes []BuildMix
	for rows.Next() {
		var id, out, in string
		if err := rows.Scan(&id, &out, &in); err != nil {
			return nil, fmt.Errorf("merging %s: reading the forecasts' builds: %w", m.input, err)
		}
		mixes = append(mixes, BuildMix{Kind: "forecast", ID: id, Out: []BuildCount{{Version: out}}, In: []BuildCount{{Version: in}}})
	}
	return mixes, rows.Err()
}
