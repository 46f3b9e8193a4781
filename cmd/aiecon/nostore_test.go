package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// noStoreSweep is a sweep of four short runs of the baseline.
const noStoreSweep = `name: nostore
base: baseline
set: {horizon: 2s}
parameters:
  fleet.count: [1, 2]
replications: 2
kpis: [cost_per_mtok_usd, "slo_attainment[chat]"]
`

// runMain runs the CLI in-process, with the store at db, and returns its
// exit code, stdout and stderr.
func runMain(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("AIECON_DB", db)
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// noStoreDirs sets the temporary folder to a new one, whose entries after
// a command are the scratch stores --no-store left behind.
func noStoreDirs(t *testing.T) func() []string {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return func() []string {
		entries, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
}

// TestSweepNoStore: sweep had no --no-store (it reads its runs back from a
// store to summarise them). With it the summary is a stored sweep's, but
// for saying that nothing was stored; the store named is not created and
// the scratch store is gone once the command returns.
func TestSweepNoStore(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(spec, []byte(noStoreSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	left := noStoreDirs(t)
	stored := filepath.Join(dir, "stored.duckdb")
	for _, format := range []string{"table", "json"} {
		t.Run(format, func(t *testing.T) {
			code, want, errs := runMain(t, stored, "sweep", spec, "-j", "1", "--format", format, "--width", "0")
			if code != exitOK {
				t.Fatalf("stored sweep: exit %d: %s", code, errs)
			}
			unstored := filepath.Join(dir, "unstored.duckdb")
			code, got, errs := runMain(t, unstored, "sweep", spec, "-j", "1", "--format", format, "--width", "0", "--no-store")
			if code != exitOK {
				t.Fatalf("--no-store: exit %d: %s", code, errs)
			}
			if !strings.Contains(errs, ") not stored (--no-store): 2 points x 2 replications") {
				t.Errorf("stderr does not say nothing is stored:\n%s", errs)
			}
			if _, err := os.Stat(unstored); !os.IsNotExist(err) {
				t.Errorf("--no-store made the store %s (%v)", unstored, err)
			}
			if l := left(); len(l) > 0 {
				t.Errorf("--no-store left %v in the temporary folder", l)
			}
			if format == "json" {
				want = regexp.MustCompile(`"store": ".*?"`).ReplaceAllString(want, `"store": null`)
				volatile := regexp.MustCompile(`"(sweep_id|wall_s)": [^,\n]*`)
				want, got = volatile.ReplaceAllString(want, ""), volatile.ReplaceAllString(got, "")
			} else {
				head := regexp.MustCompile(`(?m)^sweep nostore \(id \w+\) (in \S+|not stored \(--no-store\)): \d+ runs done in [^,]*`)
				if !head.MatchString(got) || !strings.Contains(got, "not stored (--no-store)") {
					t.Errorf("the head does not say nothing was stored:\n%s", got)
				}
				want, got = head.ReplaceAllString(want, ""), head.ReplaceAllString(got, "")
			}
			if got != want {
				t.Errorf("--no-store's summary differs from a stored sweep's:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestOptimizeNoStore: optimize had no --no-store; with it, its report is a
// stored search's but for saying that nothing was stored (JSON: "store":
// null), and no store is left behind.
func TestOptimizeNoStore(t *testing.T) {
	dir := t.TempDir()
	left := noStoreDirs(t)
	args := []string{"optimize", "baseline", "--instances", "trn2.48xlarge", "--tp", "32", "--max-num-seqs", "32", "--max-count", "4", "--horizon", "5s", "-j", "1", "--width", "0"}
	stored := filepath.Join(dir, "stored.duckdb")
	code, want, errs := runMain(t, stored, args...)
	if code != exitOK {
		t.Fatalf("stored search: exit %d: %s", code, errs)
	}
	unstored := filepath.Join(dir, "unstored.duckdb")
	code, got, errs := runMain(t, unstored, append(args, "--no-store")...)
	if code != exitOK {
		t.Fatalf("--no-store: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(unstored); !os.IsNotExist(err) {
		t.Errorf("--no-store made the store %s (%v)", unstored, err)
	}
	if l := left(); len(l) > 0 {
		t.Errorf("--no-store left %v in the temporary folder", l)
	}
	want = regexp.MustCompile(`stored as sweep \w+ in \S+`).ReplaceAllString(want, "not stored (--no-store)")
	if got != want {
		t.Errorf("--no-store's report differs from a stored search's:\n%s\nwant\n%s", got, want)
	}
	code, got, errs = runMain(t, unstored, append(args, "--no-store", "--format", "json")...)
	if code != exitOK || !strings.Contains(got, `"store": null`) {
		t.Errorf("--format json: exit %d, want \"store\": null in\n%s%s", code, got, errs)
	}
}

// TestSweepNoStoreRefusals: --no-store runs a sweep file; a stored sweep
// (--resume, --show) or a shard, only of use stored, is refused before
// anything runs.
func TestSweepNoStoreRefusals(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(spec, []byte(noStoreSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	stored := "--no-store runs a sweep FILE without storing it; --resume and --show read a stored sweep"
	shard := "--no-store with --shard or --shards: a shard is only useful stored, to be merged"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--resume", "last"}, stored}, {[]string{"--show", "last"}, stored},
		{[]string{spec, "--shard", "0/2"}, shard}, {[]string{spec, "--shards", "2"}, shard},
	} {
		code, _, errs := runMain(t, filepath.Join(dir, "s.duckdb"), append([]string{"sweep", "--no-store"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestNoStoreStopped: a --no-store sweep stopped by Ctrl-C removes its
// scratch store, says there is nothing to resume, and creates no store.
func TestNoStoreStopped(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "interrupt.yaml"), []byte(interruptSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cmd := aieconChild(t, dir)("sweep", "interrupt.yaml", "-j", "1", "--no-store")
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	_, stderr, code := startAndSignal(t, cmd, syscall.SIGINT, 1)
	if code != exitFailure || !strings.Contains(stderr, "nothing was stored (--no-store), so there is nothing to resume") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 saying there is nothing to resume", code, stderr)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("the stopped sweep left %s in the temporary folder", entries[0].Name())
	}
	if _, err := os.Stat(filepath.Join(dir, "aiecon.duckdb")); !os.IsNotExist(err) {
		t.Errorf("--no-store made the store (%v)", err)
	}
}

// TestForcedExitHooks: a forced exit (a second stop signal) skips the
// deferred calls, so what useScratchStore registers runs before it, until
// it is removed.
func TestForcedExitHooks(t *testing.T) {
	ran := 0
	remove := atForcedExit(func() { ran++ })
	t0 := time.Now()
	clock := []time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute)}
	w := &stopWatch{grace: stopGrace, stderr: &bytes.Buffer{}, cancel: func() {}, busy: func() bool { return false }, exit: func(int) {},
		now: func() time.Time { c := clock[0]; clock = clock[1:]; return c }}
	w.handle(syscall.SIGINT)
	if ran != 0 {
		t.Fatalf("the first signal ran the hooks")
	}
	w.handle(syscall.SIGINT)
	if ran != 1 {
		t.Fatalf("the forced exit ran the hook %d times, want once", ran)
	}
	remove()
	w.handle(syscall.SIGINT)
	if ran != 1 {
		t.Errorf("a removed hook ran")
	}
}
