package chart

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/runner"
)

// The fixture is a store with a few small runs of the built-in baseline
// scenario, simulated once per test binary (about a second in all).
type fixture struct {
	store *data.Store
	// base: 2 simulated minutes at the scenario's load, every request stored.
	// light: a third of the load on three instances instead of four, half
	// of the requests stored.
	// noRequests: a sample rate so small that no request row is stored.
	// noneArrived: rates so low that no request arrives.
	base, light, noRequests, noneArrived string
	// pointA, pointB: 20 simulated seconds each, named like sweep points
	// whose names are too long for a legend and differ only at their end.
	pointA, pointB string
}

var (
	fixtureOnce sync.Once
	fixtureVal  *fixture
	fixtureErr  error
	fixtureDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureVal != nil {
		fixtureVal.store.Close()
	}
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// longPointName starts the names of the fixture's sweep points.
const longPointName = "fleet-size: horizon=20s window=10s fleet.count=4 workloads[chat].arrivals.rate="

// testStore returns the shared fixture, simulating it on first use.
func testStore(t *testing.T) *fixture {
	t.Helper()
	fixtureOnce.Do(func() { fixtureVal, fixtureErr = makeFixture() })
	if fixtureErr != nil {
		t.Fatalf("making the fixture store: %v", fixtureErr)
	}
	return fixtureVal
}

func makeFixture() (*fixture, error) {
	dir, err := os.MkdirTemp("", "aiecon-chart-test-")
	if err != nil {
		return nil, err
	}
	fixtureDir = dir
	store, err := data.Open(filepath.Join(dir, "charts.duckdb"), data.Options{})
	if err != nil {
		return nil, err
	}
	f := &fixture{store: store}
	for _, r := range []struct {
		id   *string
		name string
		sets []string
	}{
		{&f.base, "base", []string{"horizon=2m", "window=10s"}},
		{&f.light, "light", []string{"horizon=2m", "window=10s", "fleet.count=3", "workloads[chat].arrivals.rate=10/s", "output.request_sample_rate=0.5"}},
		{&f.noRequests, "no-requests", []string{"horizon=20s", "window=10s", "output.request_sample_rate=0.000001"}},
		{&f.noneArrived, "none-arrived", []string{"horizon=20s", "window=10s", "workloads[chat].arrivals.rate=1e-300/s",
			"workloads[shopping-assistant].arrivals.rate=1e-300/s"}},
		{&f.pointA, longPointName + "2/s", []string{"horizon=20s", "window=10s", "workloads[chat].arrivals.rate=2/s"}},
		{&f.pointB, longPointName + "3/s", []string{"horizon=20s", "window=10s", "workloads[chat].arrivals.rate=3/s"}},
	} {
		l, err := runner.Load("baseline", r.sets)
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %w", r.name, err)
		}
		// An explicit calibration keeps the fixture independent of any
		// profile on the machine running the tests.
		cal := &runner.Calibration{Eff: hw.DefaultEfficiency, Source: "assumed (chart tests)"}
		out, err := runner.Run(context.Background(), l, runner.Options{Store: store, Name: r.name, Calibration: cal})
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %w", r.name, err)
		}
		*r.id = out.RunID
	}
	return f, nil
}
