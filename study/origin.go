package study

import (
	"context"
	"fmt"
	"strings"

	"aiecon/data"
	"aiecon/model/format"
)

// A sweep resumed (or a shard restarted) by another aiecon build pooled
// both builds' runs in one summary without a word, though a build may
// simulate the same point differently: a new default (the autoscaler's
// tolerance), a corrected mechanism, another catalog figure. What a run
// records of its origin is the build's version (runs.aiecon_version) and
// the scenario it resolved (runs.resolved_yaml); the specification itself
// is frozen with the sweep, so a resume cannot change it.

// OriginError refuses to add runs to a sweep whose complete runs another
// build made (Others), or whose scenario this build resolves otherwise
// (Run, with the first line that differs).
type OriginError struct {
	SweepID string
	Version string // this build's
	Runs    int    // the sweep's complete runs
	Others  []data.SweepBuild

	Run                string // a run of this version whose scenario resolves otherwise
	Point, Replication int
	Line               int    // the first line that differs, from 1
	Stored, Now        string // that line as the run stored it and as this build resolves it
}

func (e *OriginError) Error() string {
	if len(e.Others) > 0 {
		return fmt.Sprintf("%s: a build may simulate the same point otherwise (a new default, a corrected mechanism), and the "+
			"summary would pool both builds' runs; finish it with %s, or run the sweep file again with this build (a new sweep; "+
			"these runs stay)", e.Finding(), buildName(e.Others[0].Version))
	}
	return fmt.Sprintf("%s: this build fills in the scenario otherwise (a default changed), and the summary would pool runs of two "+
		"builds; finish it with the build "+
		"that made the run, or run the sweep file again with this one (a new sweep; these runs stay)", e.Finding())
}

// Finding is what differs, without the advice.
func (e *OriginError) Finding() string {
	if len(e.Others) > 0 {
		return fmt.Sprintf("sweep %s: %s, not by this aiecon %s", e.SweepID, e.madeBy(), e.Version)
	}
	return fmt.Sprintf("sweep %s: run %s (point %d, replication %d) was made by aiecon %s, as this one is, but this build resolves "+
		"its scenario otherwise (line %d: stored %q, now %q)", e.SweepID, e.Run, e.Point, e.Replication, e.Version, e.Line, e.Stored, e.Now)
}

// madeBy says which other builds made how many of the complete runs.
func (e *OriginError) madeBy() string {
	if b := e.Others[0]; len(e.Others) == 1 && b.Runs == e.Runs {
		if b.Runs == 1 {
			return "its 1 complete run was made by " + buildName(b.Version)
		}
		return fmt.Sprintf("its %d complete runs were made by %s", b.Runs, buildName(b.Version))
	}
	s := fmt.Sprintf("of its %s, ", format.Plural(e.Runs, "complete run"))
	for i, b := range e.Others {
		switch {
		case i == 0:
			verb := "were"
			if b.Runs == 1 {
				verb = "was"
			}
			s += fmt.Sprintf("%d %s made by %s", b.Runs, verb, buildName(b.Version))
		case i == len(e.Others)-1:
			s += fmt.Sprintf(" and %d by %s", b.Runs, buildName(b.Version))
		default:
			s += fmt.Sprintf(", %d by %s", b.Runs, buildName(b.Version))
		}
	}
	return s
}

func buildName(v string) string {
	if v == "" {
		return "an aiecon that recorded no version"
	}
	return "aiecon " + v
}

// CheckOrigin refuses (*OriginError) to resume sweep id with this build,
// version, when its complete runs were made by another build, or when one
// of them resolves its scenario otherwise than this build resolves the
// same point and replication of plan p (a build of the same version with
// other defaults). Every complete run is compared, not the newest alone:
// shards made by two builds of one version ("devel", from source) merge
// without a word, and the older shard's runs were pooled. A sweep without
// complete runs passes.
func CheckOrigin(ctx context.Context, store *data.Store, id string, p *Plan, version string) error {
	builds, err := store.SweepBuilds(ctx, id)
	if err != nil {
		return err
	}
	oe := &OriginError{SweepID: id, Version: version}
	for _, b := range builds {
		oe.Runs += b.Runs
		if b.Version != version {
			oe.Others = append(oe.Others, b)
		}
	}
	if len(oe.Others) > 0 {
		return oe
	}
	d, err := resolvedOtherwise(ctx, store, id, p)
	if err != nil || d == nil {
		return err
	}
	oe.Run, oe.Point, oe.Replication = d.run.RunID, d.run.Point, d.run.Replication
	oe.Line, oe.Stored, oe.Now = d.line, d.stored, d.now
	return oe
}

// scenarioDiff is a complete run whose stored scenario this build
// resolves otherwise, with the first line that differs.
type scenarioDiff struct {
	run         data.SweepScenario
	line        int
	stored, now string
}

// compareBatch is how many runs' scenarios resolvedOtherwise compares at
// a time, resolving them on every CPU.
const compareBatch = 256

// resolvedOtherwise is the newest complete run of sweep id whose scenario
// this build resolves otherwise, nil when there is none.
func resolvedOtherwise(ctx context.Context, store *data.Store, id string, p *Plan) (*scenarioDiff, error) {
	var found *scenarioDiff
	c := newScenarioChecker(p)
	batch := make([]data.SweepScenario, 0, compareBatch)
	err := store.SweepScenarios(ctx, id, func(r data.SweepScenario) bool {
		if r.Point < 0 || r.Point >= len(p.Points) {
			return true // not a point of this plan: Pending leaves it out
		}
		if batch = append(batch, r); len(batch) == compareBatch {
			found, batch = c.check(ctx, batch), batch[:0]
		}
		return found == nil
	})
	if err == nil && found == nil && len(batch) > 0 {
		found = c.check(ctx, batch)
	}
	if err == nil {
		err = ctx.Err() // Each stops early when ctx ends: what it left is not compared
	}
	return found, err
}

// compareScenario resolves run r's point and replication with this build,
// and returns how it differs from what r stored; nil when it does not.
func compareScenario(p *Plan, r data.SweepScenario) *scenarioDiff {
	l, err := p.Load(p.Points[r.Point], r.Replication)
	if err != nil {
		return &scenarioDiff{run: r, line: 1, stored: firstLine(r.ResolvedYAML), now: "(it does not load: " + err.Error() + ")"}
	}
	if line, stored, now := firstDiff(r.ResolvedYAML, string(l.Resolved)); line != 0 {
		return &scenarioDiff{run: r, line: line, stored: stored, now: now}
	}
	return nil
}

// firstDiff is the first line (from 1) at which a and b differ, and that
// line in each; 0 when they are the same.
func firstDiff(a, b string) (int, string, string) {
	if a == b {
		return 0, "", ""
	}
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		x, y := lineAt(la, i), lineAt(lb, i)
		if x != y {
			return i + 1, x, y
		}
	}
	return 1, firstLine(a), firstLine(b) // unreachable: the texts differ
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end)"
}
