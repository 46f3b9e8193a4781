package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CalibrationMeta says where a calibration profile comes from.
type CalibrationMeta struct {
	Device  string // device measured, e.g. trn2 or host-cpu
	Host    string
	Version string // aiecon version
	Note    string
}

// Calibration is a stored hardware efficiency profile.
type Calibration struct {
	ID        string
	CreatedAt time.Time
	CalibrationMeta
	ProfileJSON string
}

// SaveCalibration stores a fitted profile (JSON, e.g. a marshalled
// hw.Profile) and returns its id.
func (s *Store) SaveCalibration(ctx context.Context, profileJSON string, meta CalibrationMeta) (string, error) {
	if meta.Device == "" {
		return "", errors.New("saving a calibration: the device is empty")
	}
	if !json.Valid([]byte(profileJSON)) {
		return "", fmt.Errorf("saving a calibration of %s: the profile is not valid JSON", meta.Device)
	}
	id := NewID()
	_, err := s.db.ExecContext(ctx, `INSERT INTO calibrations VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, time.Now().UTC(), meta.Device, meta.Host, meta.Version, meta.Note, profileJSON)
	if err != nil {
		return "", fmt.Errorf("saving a calibration of %s: %w", meta.Device, err)
	}
	return id, nil
}

// Calibrations lists stored calibrations, newest first; device "" lists all.
func (s *Store) Calibrations(ctx context.Context, device string) ([]Calibration, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT calibration_id, created_at, device, host, aiecon_version, note, profile_json
		FROM calibrations WHERE ? = '' OR device = ? ORDER BY calibration_id DESC`, device, device)
	if err != nil {
		return nil, fmt.Errorf("listing calibrations: %w", err)
	}
	defer rows.Close()
	var out []Calibration
	for rows.Next() {
		var c Calibration
		if err := rows.Scan(&c.ID, &c.CreatedAt, &c.Device, &c.Host, &c.Version, &c.Note, &c.ProfileJSON); err != nil {
			return nil, fmt.Errorf("listing calibrations: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
