package data

import (
	"context"
	"fmt"

	"aiecon/sim"
)

// SweepLatency is one latency sketch of one complete run of a sweep.
type SweepLatency struct {
	RunID       string
	Point       int
	Replication int
	Sketch      sim.LatencySketch
}

// SweepLatencySketches reads the latency sketches of the complete runs of
// a sweep, ordered by point, replication, run id, scope and latency. A run
// stored before schema version 11 has none.
func (s *Store) SweepLatencySketches(ctx context.Context, id string) ([]SweepLatency, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.run_id, r.sweep_point, r.replication, l.scope, l.latency, l.samples, l.sketch, l.exact
		FROM runs r JOIN latency_sketches l ON l.run_id = r.run_id
		WHERE r.sweep_id = ? AND r.status = 'complete'
		ORDER BY r.sweep_point, r.replication, r.run_id, l.scope, l.latency`, id)
	if err != nil {
		return nil, fmt.Errorf("latency sketches of sweep %s: %w", id, err)
	}
	defer rows.Close()
	var out []SweepLatency
	for rows.Next() {
		var l SweepLatency
		var exact any
		if err := rows.Scan(&l.RunID, &l.Point, &l.Replication, &l.Sketch.Scope, &l.Sketch.Latency, &l.Sketch.Count, &l.Sketch.Sketch, &exact); err != nil {
			return nil, fmt.Errorf("latency sketches of sweep %s: %w", id, err)
		}
		if l.Sketch.Exact, err = floatList(exact); err != nil {
			return nil, fmt.Errorf("latency sketches of sweep %s, run %s: %w", id, l.RunID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("latency sketches of sweep %s: %w", id, err)
	}
	return out, nil
}

// RunLatencySketches reads a run's latency sketches, ordered by scope and
// latency; none for a run stored before schema version 11.
func (s *Store) RunLatencySketches(ctx context.Context, runID string) ([]sim.LatencySketch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT scope, latency, samples, sketch, exact FROM latency_sketches
		WHERE run_id = ? ORDER BY scope, latency`, runID)
	if err != nil {
		return nil, fmt.Errorf("latency sketches of run %s: %w", runID, err)
	}
	defer rows.Close()
	var out []sim.LatencySketch
	for rows.Next() {
		var l sim.LatencySketch
		var exact any
		if err := rows.Scan(&l.Scope, &l.Latency, &l.Count, &l.Sketch, &exact); err != nil {
			return nil, fmt.Errorf("latency sketches of run %s: %w", runID, err)
		}
		if l.Exact, err = floatList(exact); err != nil {
			return nil, fmt.Errorf("latency sketches of run %s: %w", runID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("latency sketches of run %s: %w", runID, err)
	}
	return out, nil
}

// floatList converts a DOUBLE[] as the driver scans it (nil for NULL).
func floatList(v any) ([]float64, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("exact samples are a %T, not a list", v)
	}
	out := make([]float64, len(list))
	for i, x := range list {
		f, ok := x.(float64)
		if !ok {
			return nil, fmt.Errorf("exact sample %d is a %T, not a DOUBLE", i, x)
		}
		out[i] = f
	}
	return out, nil
}
