package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The sweep registry: a sweep is a base scenario and a list of parameter
// points, each run Replications times (runs.sweep_id, sweep_point and
// replication link them). The sweep logic itself lives with the runner.

// SweepInfo describes a new sweep.
type SweepInfo struct {
	Name         string
	Description  string
	SpecYAML     string
	Replications int
	Points       []string // the parameter values of each point, as JSON objects
}

// Sweep is a stored sweep.
type Sweep struct {
	ID, Name, Description, SpecYAML string
	CreatedAt                       time.Time
	Points, Replications            int
}

// SweepPoint is one point of a sweep with the runs made for it so far.
type SweepPoint struct {
	Point      int
	ParamsJSON string
	Runs       []RunSummary // in the order they started
}

// CreateSweep registers a sweep and its points and returns its id.
func (s *Store) CreateSweep(ctx context.Context, info SweepInfo) (string, error) {
	if info.Name == "" {
		return "", errors.New("creating a sweep: the name is empty")
	}
	if info.Replications < 1 {
		return "", fmt.Errorf("creating sweep %q: replications %d is less than 1", info.Name, info.Replications)
	}
	if len(info.Points) == 0 {
		return "", fmt.Errorf("creating sweep %q: no points", info.Name)
	}
	for i, p := range info.Points {
		if !json.Valid([]byte(p)) {
			return "", fmt.Errorf("creating sweep %q: point %d: parameters are not valid JSON", info.Name, i)
		}
	}
	id := NewID()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("creating sweep %q: %w", info.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `INSERT INTO sweeps VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, info.Name, info.Description, time.Now().UTC(), info.SpecYAML, len(info.Points), info.Replications); err != nil {
		return "", fmt.Errorf("creating sweep %q: %w", info.Name, err)
	}
	for i, p := range info.Points {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sweep_points VALUES (?, ?, ?)`, id, i, p); err != nil {
			return "", fmt.Errorf("creating sweep %q: point %d: %w", info.Name, i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("creating sweep %q: %w", info.Name, err)
	}
	return id, nil
}

// Sweeps lists the sweeps, newest first.
func (s *Store) Sweeps(ctx context.Context) ([]Sweep, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sweep_id, name, description, spec_yaml, created_at, points, replications
		FROM sweeps ORDER BY sweep_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("listing sweeps: %w", err)
	}
	defer rows.Close()
	var out []Sweep
	for rows.Next() {
		var w Sweep
		if err := rows.Scan(&w.ID, &w.Name, &w.Description, &w.SpecYAML, &w.CreatedAt, &w.Points, &w.Replications); err != nil {
			return nil, fmt.Errorf("listing sweeps: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SweepPoints reads the points of a sweep with their runs.
func (s *Store) SweepPoints(ctx context.Context, sweepID string) ([]SweepPoint, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT point, params_json FROM sweep_points WHERE sweep_id = ? ORDER BY point`, sweepID)
	if err != nil {
		return nil, fmt.Errorf("reading sweep %s: %w", sweepID, err)
	}
	var pts []SweepPoint
	for rows.Next() {
		var p SweepPoint
		if err := rows.Scan(&p.Point, &p.ParamsJSON); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading sweep %s: %w", sweepID, err)
		}
		pts = append(pts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading sweep %s: %w", sweepID, err)
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("reading sweep %s: no such sweep", sweepID)
	}
	runs, err := s.Runs(ctx, RunFilter{SweepID: sweepID, OldestFirst: true})
	if err != nil {
		return nil, fmt.Errorf("reading sweep %s: %w", sweepID, err)
	}
	for _, r := range runs {
		if r.SweepPoint >= 0 && r.SweepPoint < len(pts) && pts[r.SweepPoint].Point == r.SweepPoint {
			pts[r.SweepPoint].Runs = append(pts[r.SweepPoint].Runs, r)
		}
	}
	return pts, nil
}

// SweepShard is a shard of a sweep: the points p with p mod Count = Index
// (Count 1: the whole sweep).
type SweepShard struct{ Index, Count int }

// RecordSweepShard records that this store runs shard index of count of
// sweep id (0 of 1: all of it), so that a shard's store is told from a
// whole sweep's that lacks runs; recording it again changes nothing.
func (s *Store) RecordSweepShard(ctx context.Context, id string, sh SweepShard) error {
	if sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count {
		return fmt.Errorf("recording shard %d/%d of sweep %s: want 0 <= shard < shards", sh.Index, sh.Count, id)
	}
	s.state.metaMu.Lock()
	defer s.state.metaMu.Unlock()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO sweep_shards VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, id, sh.Index, sh.Count); err != nil {
		return fmt.Errorf("recording shard %d/%d of sweep %s: %w", sh.Index, sh.Count, id, err)
	}
	return nil
}

// SweepShards lists the shards of sweep id that this store ran or had
// merged into it, by count and index; none for a sweep stored before
// schema version 32 or made by optimize, which may be a shard's or not.
func (s *Store) SweepShards(ctx context.Context, id string) ([]SweepShard, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT shard, shards FROM sweep_shards WHERE sweep_id = ? ORDER BY shards, shard`, id)
	if err != nil {
		return nil, fmt.Errorf("reading the shards of sweep %s: %w", id, err)
	}
	defer rows.Close()
	var out []SweepShard
	for rows.Next() {
		var sh SweepShard
		if err := rows.Scan(&sh.Index, &sh.Count); err != nil {
			return nil, fmt.Errorf("reading the shards of sweep %s: %w", id, err)
		}
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the shards of sweep %s: %w", id, err)
	}
	return out, nil
}
