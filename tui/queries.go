package tui

import (
	"context"
	"fmt"

	"aiecon/data"
)

// The few reads the data package does not offer, written against the
// documented tables and views (data/migrations).

// sweepPointParams reads the parameters of every sweep point, keyed by
// sweep id and point, for labelling the runs of a sweep in the runs list.
func sweepPointParams(ctx context.Context, s *data.Store) (map[string]map[int]string, error) {
	rows, err := s.DB().QueryContext(ctx, `SELECT sweep_id, point, params_json FROM sweep_points ORDER BY sweep_id, point`)
	if err != nil {
		return nil, fmt.Errorf("reading sweep points: %w", err)
	}
	defer rows.Close()
	out := map[string]map[int]string{}
	for rows.Next() {
		var id, params string
		var point int
		if err := rows.Scan(&id, &point, &params); err != nil {
			return nil, fmt.Errorf("reading sweep points: %w", err)
		}
		if out[id] == nil {
			out[id] = map[int]string{}
		}
		out[id][point] = params
	}
	return out, rows.Err()
}
