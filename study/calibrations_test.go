package study

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
)

// A variant or point that names its own profile runs on it, not on the
// profile another one on the same instance loaded first: the cache is keyed
// by instance and profile (a forecast keyed it by instance alone and ran
// every variant on the first one's).
func TestCalibrationsKeyedByProfile(t *testing.T) {
	p, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	path, err := hw.SaveProfile(t.TempDir(), p)
	if err != nil {
		t.Fatal(err)
	}
	loaded := func(profile string) *runner.Loaded {
		sc := &model.Scenario{}
		sc.Fleet.Instance = "p5.48xlarge"
		sc.Hardware.Calibration = profile
		return &runner.Loaded{Scenario: sc}
	}
	var c Calibrations
	builtin, err := c.Get(loaded(""))
	if err != nil {
		t.Fatal(err)
	}
	own, err := c.Get(loaded(path))
	if err != nil {
		t.Fatal(err)
	}
	if builtin.Source == own.Source || own.Source != path {
		t.Errorf("profiles %q and %q: want the built-in one, then %q", builtin.Source, own.Source, path)
	}
	again, err := c.Get(loaded(path))
	if err != nil || again != own {
		t.Errorf("the second load of %q was not the cached one (%v)", path, err)
	}
}

// TestCalibrationsNoticeAChangedFile: a profile file replaced at its path
// while a sweep runs, or between a sweep's first part and its resume, is
// refused, naming the path: the cache (and a resume, which reads the path
// the sweep stored) priced the rest by another profile than the first
// points without a word.
func TestCalibrationsNoticeAChangedFile(t *testing.T) {
	p, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	path, err := hw.SaveProfile(t.TempDir(), p)
	if err != nil {
		t.Fatal(err)
	}
	first, err := hw.ProfileFileDigest(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := &model.Scenario{}
	sc.Fleet.Instance = "p5.48xlarge"
	sc.Hardware.Calibration = path
	l := &runner.Loaded{Scenario: sc}

	var c Calibrations
	if _, err := c.Get(l); err != nil {
		t.Fatal(err)
	}
	p.Note = "edited"
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(l); err == nil || !strings.Contains(err.Error(), path+" changed while the sweep ran (sha256 "+first[:12]) {
		t.Errorf("a file changed mid-sweep: got %v", err)
	}
	resumed := Calibrations{Earlier: []string{first}}
	if _, err := resumed.Get(l); err == nil || !strings.Contains(err.Error(), "is not the file this sweep's complete runs were priced by (sha256 "+first[:12]+")") {
		t.Errorf("a resume after the file changed: got %v", err)
	}
	same := Calibrations{Earlier: []string{hw.ProfileDigest(data)}}
	if _, err := same.Get(l); err != nil {
		t.Errorf("a resume with the file its runs used: %v", err)
	}
}
