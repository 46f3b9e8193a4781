package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// What running a sweep needs beyond CreateSweep: ids that several machines
// agree on without talking to each other, registering a sweep again when a
// shard is restarted, adding points as an optimizer discovers them, and
// reading every KPI of a sweep's complete runs in one query.

// ErrSweepNotFound is wrapped by Sweep and ResolveSweep.
var ErrSweepNotFound = errors.New("no such sweep")

// DerivedID turns a content digest into an id of the usual form (15
// characters of the id alphabet). Shards of one sweep on different machines
// derive the same sweep id from the same specification, so their stores
// merge into one sweep. All 75 bits come from the digest, so a derived id
// does not encode a creation time (IDTime of it is meaningless).
func DerivedID(content []byte) string {
	sum := sha256.Sum256(content)
	hi := binary.BigEndian.Uint64(sum[:8])
	lo := binary.BigEndian.Uint64(sum[8:16])
	return encodeID(hi>>(64-5*idTimeChars), lo&idRandMask)
}

// ValidID reports whether s has the form of an id.
func ValidID(s string) bool {
	if len(s) != IDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(idAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// EnsureSweep registers a sweep under a caller-chosen id. When the id is
// already there with the same name, specification, replications and points
// it changes nothing and returns false (a restarted shard, a resumed
// sweep); when it is there with other content it is an error naming the
// difference.
func (s *Store) EnsureSweep(ctx context.Context, id string, info SweepInfo) (created bool, err error) {
	if !ValidID(id) {
		return false, fmt.Errorf("registering sweep %q: id %q is not %d characters of 0-9 and a-z without i, l, o, u", info.Name, id, IDLength)
	}
	if info.Name == "" {
		return false, errors.New("registering a sweep: the name is empty")
	}
	if info.Replications < 1 {
		return false, fmt.Errorf("registering sweep %q: replications %d is less than 1", info.Name, info.Replications)
	}
	for i, p := range info.Points {
		if !json.Valid([]byte(p)) {
			return false, fmt.Errorf("registering sweep %q: point %d: parameters are not valid JSON", info.Name, i)
		}
	}
	s.state.metaMu.Lock()
	defer s.state.metaMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var name, spec string
	var points, repl int
	err = tx.QueryRowContext(ctx, `SELECT name, spec_yaml, points, replications FROM sweeps WHERE sweep_id = ?`, id).Scan(&name, &spec, &points, &repl)
	switch {
	case err == nil:
		if name != info.Name || spec != info.SpecYAML || points != len(info.Points) || repl != info.Replications {
			return false, fmt.Errorf("registering sweep %q: the store already has a sweep %s (%q, %d points x %d replications) with another specification", info.Name, id, name, points, repl)
		}
		rows, err := tx.QueryContext(ctx, `SELECT point, params_json FROM sweep_points WHERE sweep_id = ? ORDER BY point`, id)
		if err != nil {
			return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var pt int
			var params string
			if err := rows.Scan(&pt, &params); err != nil {
				return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
			}
			if pt != n || pt >= len(info.Points) || params != info.Points[pt] {
				return false, fmt.Errorf("registering sweep %q: sweep %s in the store has other parameters at point %d", info.Name, id, pt)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
		}
		if n != len(info.Points) {
			return false, fmt.Errorf("registering sweep %q: sweep %s in the store has %d of its %d points", info.Name, id, n, len(info.Points))
		}
		return false, nil
	case !isNoRows(err):
		return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sweeps VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, info.Name, info.Description, time.Now().UTC(), info.SpecYAML, len(info.Points), info.Replications); err != nil {
		return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
	}
	if err := insertPoints(ctx, tx, id, 0, info.Points); err != nil {
		return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("registering sweep %q: %w", info.Name, err)
	}
	return true, nil
}

func insertPoints(ctx context.Context, tx *sql.Tx, id string, first int, points []string) error {
	for i, p := range points {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sweep_points VALUES (?, ?, ?)`, id, first+i, p); err != nil {
			return fmt.Errorf("point %d: %w", first+i, err)
		}
	}
	return nil
}

// ExtendSweep appends points to a sweep and replaces its specification, in
// one transaction (an optimizer adds the configurations it evaluates as it
// finds them, and its stored specification always lists exactly those). The
// new points take the indexes after the existing ones; it returns the first.
func (s *Store) ExtendSweep(ctx context.Context, id, specYAML string, points []string) (first int, err error) {
	for i, p := range points {
		if !json.Valid([]byte(p)) {
			return 0, fmt.Errorf("extending sweep %s: point %d: parameters are not valid JSON", id, i)
		}
	}
	s.state.metaMu.Lock()
	defer s.state.metaMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("extending sweep %s: %w", id, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT points FROM sweeps WHERE sweep_id = ?`, id).Scan(&n); err != nil {
		if isNoRows(err) {
			return 0, fmt.Errorf("extending sweep %s: %w", id, ErrSweepNotFound)
		}
		return 0, fmt.Errorf("extending sweep %s: %w", id, err)
	}
	if err := insertPoints(ctx, tx, id, n, points); err != nil {
		return 0, fmt.Errorf("extending sweep %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sweeps SET points = ?, spec_yaml = ? WHERE sweep_id = ?`, n+len(points), specYAML, id); err != nil {
		return 0, fmt.Errorf("extending sweep %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("extending sweep %s: %w", id, err)
	}
	return n, nil
}

// Sweep reads one sweep by its full id.
func (s *Store) Sweep(ctx context.Context, id string) (Sweep, error) {
	var w Sweep
	err := s.db.QueryRowContext(ctx, `SELECT sweep_id, name, description, spec_yaml, created_at, points, replications
		FROM sweeps WHERE sweep_id = ?`, id).Scan(&w.ID, &w.Name, &w.Description, &w.SpecYAML, &w.CreatedAt, &w.Points, &w.Replications)
	if err != nil {
		if isNoRows(err) {
			return w, fmt.Errorf("sweep %s: %w in %s (see `aiecon sql 'select * from sweeps'`)", id, ErrSweepNotFound, s.path)
		}
		return w, fmt.Errorf("reading sweep %s: %w", id, err)
	}
	return w, nil
}

// ResolveSweep turns a whole sweep id, a unique prefix of one (or an id
// cut in its middle, as ResolveRun takes), or "last" (the most recently
// created sweep) into a sweep id.
func (s *Store) ResolveSweep(ctx context.Context, ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ref == latestRunRef {
		var id string
		err := s.db.QueryRowContext(ctx, `SELECT sweep_id FROM sweeps ORDER BY created_at DESC, sweep_id DESC LIMIT 1`).Scan(&id)
		if err != nil {
			if isNoRows(err) {
				return "", fmt.Errorf("sweep %q: %w: the store %s holds no sweeps", ref, ErrSweepNotFound, s.path)
			}
			return "", fmt.Errorf("finding the last sweep: %w", err)
		}
		return id, nil
	}
	if !validIDRef(ref) {
		return "", fmt.Errorf("sweep %q: %w: %s", ref, ErrSweepNotFound, idRefAdvice("sweep", ref))
	}
	ids, err := s.idsWithPrefix(ctx, "sweeps", "sweep_id", ref)
	if err != nil {
		return "", fmt.Errorf("resolving sweep %q: %w", ref, err)
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("sweep %q: %w in %s", ref, ErrSweepNotFound, s.path)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("sweep %q is ambiguous: it matches %s; type more characters", ref, strings.Join(ids, ", "))
}

// SweepRun is a run of a sweep: which point and replication, and its status.
type SweepRun struct {
	RunID       string
	Point       int
	Replication int
	Status      string
}

// SweepRuns lists the runs of a sweep in the order they started. From a
// read-only Store, runs interrupted by a dead writer read as failed.
func (s *Store) SweepRuns(ctx context.Context, id string) ([]SweepRun, error) {
	rs, err := s.Runs(ctx, RunFilter{SweepID: id, OldestFirst: true})
	if err != nil {
		return nil, fmt.Errorf("runs of sweep %s: %w", id, err)
	}
	out := make([]SweepRun, len(rs))
	for i, r := range rs {
		out[i] = SweepRun{RunID: r.ID, Point: r.SweepPoint, Replication: r.Replication, Status: r.Status}
	}
	return out, nil
}

// SweepCalibrationFile is a profile file a sweep's complete runs were
// priced by: its digest, and the newest such run and its resolved scenario
// (which names the file's path).
type SweepCalibrationFile struct {
	SHA256       string
	RunID        string
	ResolvedYAML string
}

// SweepCalibrationFiles are the profile files a sweep's complete runs
// recorded (calibration_sha256), one per digest, ordered by digest.
func (s *Store) SweepCalibrationFiles(ctx context.Context, id string) ([]SweepCalibrationFile, error) {
	return s.calibrationFiles(ctx, "sweep "+id, `SELECT calibration_sha256, max(run_id), arg_max(resolved_yaml, run_id) FROM runs
		WHERE sweep_id = ? AND status = 'complete' AND calibration_sha256 IS NOT NULL GROUP BY 1 ORDER BY 1`, id)
}

// calibrationFiles runs query, which selects a digest, a run id and that
// run's resolved scenario per profile file, with id as its argument; what
// names whose runs they are in its errors.
func (s *Store) calibrationFiles(ctx context.Context, what, query, id string) ([]SweepCalibrationFile, error) {
	rows, err := s.db.QueryContext(ctx, query, id)
	if err != nil {
		return nil, fmt.Errorf("calibrations of %s: %w", what, err)
	}
	defer rows.Close()
	var out []SweepCalibrationFile
	for rows.Next() {
		var f SweepCalibrationFile
		if err := rows.Scan(&f.SHA256, &f.RunID, &f.ResolvedYAML); err != nil {
			return nil, fmt.Errorf("calibrations of %s: %w", what, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calibrations of %s: %w", what, err)
	}
	return out, nil
}

// SweepKPI is one KPI of one complete run of a sweep.
type SweepKPI struct {
	RunID       string
	Point       int
	Replication int
	// Seed is the run's seed: replication r of every grid point runs on
	// one, which lets a summary pair two points' runs (study.Paired).
	Seed        uint64
	Scope, Name string
	Value       float64 // NaN when undefined
	Unit        string
}

// SweepKPIs reads every KPI of the complete runs of a sweep, ordered by
// point, replication, run id, scope and name.
func (s *Store) SweepKPIs(ctx context.Context, id string) ([]SweepKPI, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.run_id, r.sweep_point, r.replication, COALESCE(r.seed, 0), k.scope, k.name, k.value, k.unit
		FROM runs r JOIN kpis k ON k.run_id = r.run_id
		WHERE r.sweep_id = ? AND r.status = 'complete'
		ORDER BY r.sweep_point, r.replication, r.run_id, k.scope, k.name`, id)
	if err != nil {
		return nil, fmt.Errorf("KPIs of sweep %s: %w", id, err)
	}
	defer rows.Close()
	var out []SweepKPI
	// A run has a few hundred KPIs, the same names, scopes and units as
	// every other run's: one copy of each string rather than one per row
	// (a 2,000-run sweep has half a million rows) lowers what a summary
	// holds while it reads them.
	one := map[string]string{}
	intern := func(s string) string {
		if c, ok := one[s]; ok {
			return c
		}
		one[s] = s
		return s
	}
	for rows.Next() {
		var k SweepKPI
		var v sql.NullFloat64
		if err := rows.Scan(&k.RunID, &k.Point, &k.Replication, &k.Seed, &k.Scope, &k.Name, &v, &k.Unit); err != nil {
			return nil, fmt.Errorf("KPIs of sweep %s: %w", id, err)
		}
		k.Value = math.NaN()
		if v.Valid {
			k.Value = v.Float64
		}
		k.RunID, k.Scope, k.Name, k.Unit = intern(k.RunID), intern(k.Scope), intern(k.Name), intern(k.Unit)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("KPIs of sweep %s: %w", id, err)
	}
	return out, nil
}

// SweepBuild is an aiecon build that made some of a sweep's complete runs.
type SweepBuild struct {
	Version string // runs.aiecon_version ("" where the run recorded none)
	Runs    int
	LastRun string // the newest of them
}

// SweepBuilds lists the builds that made a sweep's complete runs, most
// runs first: a resumed sweep must not pool the runs of two builds
// unasked (study.CheckOrigin).
func (s *Store) SweepBuilds(ctx context.Context, id string) ([]SweepBuild, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT aiecon_version, count(*), max(run_id) FROM runs
		WHERE sweep_id = ? AND status = 'complete'
		GROUP BY aiecon_version ORDER BY count(*) DESC, aiecon_version`, id)
	if err != nil {
		return nil, fmt.Errorf("builds of sweep %s: %w", id, err)
	}
	defer rows.Close()
	var out []SweepBuild
	for rows.Next() {
		var b SweepBuild
		if err := rows.Scan(&b.Version, &b.Runs, &b.LastRun); err != nil {
			return nil, fmt.Errorf("builds of sweep %s: %w", id, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// SweepScenario is the scenario a complete run of a sweep resolved
// (runs.resolved_yaml).
type SweepScenario struct {
	RunID              string
	Point, Replication int
	ResolvedYAML       string
}

// SweepScenarios calls fn with each complete run of sweep id and the
// scenario it resolved, newest first, until fn returns false: a resumed
// sweep must not pool runs whose scenario this build resolves otherwise,
// whichever of them it is, not the newest alone (study.CheckOrigin). The
// rows stream, so a large sweep's scenarios are not all held at once.
func (s *Store) SweepScenarios(ctx context.Context, id string, fn func(SweepScenario) bool) error {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id, coalesce(sweep_point, -1), coalesce(replication, 0), coalesce(resolved_yaml, '')
		FROM runs WHERE sweep_id = ? AND status = 'complete' ORDER BY run_id DESC`, id)
	if err != nil {
		return fmt.Errorf("scenarios of sweep %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r SweepScenario
		if err := rows.Scan(&r.RunID, &r.Point, &r.Replication, &r.ResolvedYAML); err != nil {
			return fmt.Errorf("scenarios of sweep %s: %w", id, err)
		}
		if !fn(r) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scenarios of sweep %s: %w", id, err)
	}
	return nil
}
