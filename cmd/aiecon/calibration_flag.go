package main

import (
	"errors"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"

	"aiecon/hw"
)

// calibrationFlagUsage is the help of --calibration on the commands that run
// scenarios (run, sweep, optimize, validate).
const calibrationFlagUsage = "price with this calibration profile: a profile `FILE`, or latest (the newest 'aiecon calibrate' saved); default: the scenario's hardware.calibration, else the built-in profile"

// addCalibrationFlag declares --calibration on a command.
func addCalibrationFlag(fl *pflag.FlagSet, v *string) {
	fl.StringVar(v, "calibration", "", calibrationFlagUsage)
}

// profileDir is this process's calibration profile directory: under
// $AIECON_CONFIG_DIR, read once in Main, else the user config directory.
func (e *env) profileDir() (string, error) { return hw.ProfileDir(e.configDir) }

// withCalibration adds to sets the override that names the profile chosen
// with --calibration (nothing when the flag is empty), so the scenario and
// the stored run record the profile's path: "latest" is the newest profile
// in the profile directory, anything else a profile file.
func withCalibration(e *env, sets []string, flag string) ([]string, error) {
	if flag == "" {
		return sets, nil
	}
	abs, _, err := calibrationProfile(e, flag)
	if err != nil {
		return nil, err
	}
	return append(append([]string(nil), sets...), "hardware.calibration="+strconv.Quote(abs)), nil
}

// calibrationProfile resolves --calibration FLAG (latest, or a profile
// file) to the profile's absolute path and the profile.
func calibrationProfile(e *env, flag string) (string, *hw.Profile, error) {
	path := flag
	if flag == "latest" {
		dir, err := e.profileDir()
		if err != nil {
			return "", nil, err
		}
		_, newest, err := hw.LoadNewestProfile(dir)
		if errors.Is(err, hw.ErrNoProfile) {
			return "", nil, badInput("--calibration latest: %v; run 'aiecon calibrate' first", err)
		}
		if err != nil {
			return "", nil, err
		}
		path = newest
	}
	abs, err := filepath.Abs(path)
	var p *hw.Profile
	if err == nil {
		p, err = hw.LoadProfile(abs)
	}
	if err != nil {
		return "", nil, badInput("--calibration %s: %v", flag, err)
	}
	return abs, p, nil
}
