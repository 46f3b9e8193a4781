package study

import (
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
