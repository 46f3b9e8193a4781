package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
)

// calibrationFlagUsage is the help of --calibration on the commands that run
// scenarios (run, sweep, optimize, validate).
var calibrationFlagUsage = fmt.Sprintf("price with this calibration profile: a profile `FILE`, or latest (the newest 'aiecon calibrate' saved whose held-out error is within %.0f%%); default: the scenario's hardware.calibration, else the built-in profile", 100*hw.PoorFitMAPE)

// addCalibrationFlag declares --calibration on a command.
func addCalibrationFlag(fl *pflag.FlagSet, v *string) {
	fl.StringVar(v, "calibration", "", calibrationFlagUsage)
}

// profileDir is this process's calibration profile directory: under
// $AIECON_CONFIG_DIR, read once in Main, else the user config directory.
// A file where a directory should be fails here, naming the variable: a
// profile's save said only "mkdir PATH: not a directory", and the commands
// that read the newest profile went on without any.
func (e *env) profileDir() (string, error) {
	dir, err := hw.ProfileDir(e.configDir)
	if err != nil {
		return "", err
	}
	where, advice := "the calibration directory "+dir, "move the file in the way, or set "+hw.ProfileDirEnv+" to choose another directory"
	if e.configDir != "" {
		where = fmt.Sprintf("$%s=%s (calibration profiles go in its calibration folder)", hw.ProfileDirEnv, e.configDir)
		advice = "move the file in the way, or point " + hw.ProfileDirEnv + " at another directory (unset, your config directory)"
	}
	for _, p := range []string{e.configDir, dir} {
		if p == "" {
			continue
		}
		fi, err := os.Stat(p)
		if err == nil && !fi.IsDir() {
			err = fmt.Errorf("%s is not a directory", p)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", badInput("%s: %v; %s", where, err, advice)
		}
	}
	return dir, nil
}

// withCalibration adds to sets the override that names the profile chosen
// with --calibration (nothing when the flag is empty), so the scenario and
// the stored run record the profile's path: "latest" is the newest profile
// in the profile directory, anything else a profile file. A --set of
// hardware.calibration among sets is refused (calibrationOverride).
func withCalibration(e *env, sets []string, flag string) ([]string, error) {
	o, ok, err := calibrationOverride(e, sets, flag)
	if err != nil || !ok {
		return sets, err
	}
	return append(append([]string(nil), sets...), o.String()), nil
}

// calibrationOverride is the override --calibration FLAG stands for,
// hardware.calibration set to the profile's absolute path; ok is false
// when the flag is empty. An error it causes names the flag as typed
// (--calibration prof.json), not a --set hardware.calibration="/abs/..."
// that nobody typed. Beside a --set of hardware.calibration among sets it
// is refused, as --horizon beside --set horizon is: the flag won, and the
// --set was dropped unchecked (a path to no file ran, exit 0).
func calibrationOverride(e *env, sets []string, flag string) (model.Override, bool, error) {
	if flag == "" {
		return model.Override{}, false, nil
	}
	if err := flagAndSet(sets, "hardware.calibration", "calibration", flag); err != nil {
		return model.Override{}, false, err
	}
	abs, _, err := calibrationProfile(e, flag)
	if err != nil {
		return model.Override{}, false, err
	}
	return model.Override{Path: "hardware.calibration", Value: strconv.Quote(abs), From: "--calibration " + format.Typed(flag)}, true, nil
}

// calibrationProfile resolves --calibration FLAG (latest, or a profile
// file) to the profile's absolute path and the profile. latest passes over
// poorly fitted profiles (hw.NewestFitProfile), saying which. Its errors name
// FLAG as a --set is named (format.Typed): a tab in it was echoed raw.
func calibrationProfile(e *env, flag string) (string, *hw.Profile, error) {
	path := flag
	if flag == "latest" {
		dir, err := e.profileDir()
		if err != nil {
			return "", nil, err
		}
		_, newest, passed, err := hw.NewestFitProfile(dir)
		for _, x := range passed {
			fmt.Fprintf(e.stderr, "aiecon: note: --calibration latest passes over %s, past the %.0f%% held-out error it accepts; name the file to use it anyway\n", x, 100*hw.PoorFitMAPE)
		}
		if errors.Is(err, hw.ErrNoProfile) {
			return "", nil, badInput("--calibration latest: %v; run 'aiecon calibrate' first", err)
		}
		if err != nil {
			// Every other error is a saved profile that cannot be read
			// (a broken file, a named pipe): the user's to remove or
			// repair, exit 2 as the same file named with --calibration.
			return "", nil, badInput("--calibration latest: %v", err)
		}
		path = newest
	} else if fi, err := os.Stat(flag); err == nil && fi.IsDir() {
		// Said here, once: the loader names the absolute path, after the
		// flag that named it as typed.
		return "", nil, badInput("--calibration %s is a folder, not a file; give a profile file that aiecon calibrate saved, or latest", format.Typed(flag))
	}
	abs, err := filepath.Abs(path)
	var p *hw.Profile
	if err == nil {
		p, err = hw.LoadProfile(abs)
	}
	if err != nil {
		return "", nil, badInput("--calibration %s: %v", format.Typed(flag), err)
	}
	return abs, p, nil
}
