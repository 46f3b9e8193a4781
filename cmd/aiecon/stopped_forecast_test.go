package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"aiecon/hw"
	"aiecon/study"
)

// stoppedForecasts holds the stores of the built-in forecast stopped after
// k runs (stopForecastOf), each made once and only read after, in a folder
// of the test process that the package's TestMain removes (fixtureDir).
type stoppedForecasts struct {
	mu   sync.Mutex
	made map[stoppedKey]*stoppedStore
}

type stoppedKey struct {
	k     int
	shard study.ShardSpec
}

type stoppedStore struct {
	once     sync.Once
	path, id string
	err      error
}

var stopped stoppedForecasts

// copyTo copies the store of the built-in forecast stopped after k runs of
// shard to path, making it first if no test did, and returns its id.
func (s *stoppedForecasts) copyTo(t *testing.T, path string, k int, shard study.ShardSpec) string {
	t.Helper()
	s.mu.Lock()
	if s.made == nil {
		s.made = map[stoppedKey]*stoppedStore{}
	}
	key := stoppedKey{k, shard}
	st := s.made[key]
	if st == nil {
		st = &stoppedStore{}
		s.made[key] = st
	}
	s.mu.Unlock()
	st.once.Do(func() {
		dir, err := fixtureDir()
		if err != nil {
			st.err = err
			return
		}
		st.path = filepath.Join(dir, fmt.Sprintf("stopped-%d-shard-%d-of-%d.duckdb", k, shard.Index, shard.Count))
		st.id = runStopForecast(t, "", st.path, k, shard)
		if exists(t, st.path+".wal") { // a copy of the store alone would lose what its log holds
			st.err = fmt.Errorf("%s.wal is left beside the stopped store", st.path)
		}
	})
	if st.err != nil || st.id == "" {
		t.Fatalf("the stopped forecast (%d runs, shard %v) could not be made once for every test: %v", k, shard, st.err)
	}
	if err := copyFile(st.path, path); err != nil {
		t.Fatal(err)
	}
	return st.id
}

// fixtures is the folder of what tests make once and share, removed when
// the tests end; it is made at first use, so that a child process the
// tests start as aiecon (TestMain) makes none.
var fixtures struct {
	once sync.Once
	dir  string
	err  error
}

func fixtureDir() (string, error) {
	fixtures.once.Do(func() { fixtures.dir, fixtures.err = os.MkdirTemp("", "aiecon-test-fixtures-") })
	return fixtures.dir, fixtures.err
}

// removingFixtures runs the tests of m, then removes the fixture folder,
// if a test made it.
type removingFixtures struct{ m interface{ Run() int } }

func (r removingFixtures) Run() int {
	defer func() {
		if fixtures.dir != "" {
			os.RemoveAll(fixtures.dir)
		}
	}()
	return r.m.Run()
}

// copyFile copies the closed store src to the new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// exists says whether path names a file.
func exists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Stat(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

// hasProfiles says whether the calibration folder the forecast would
// read ($AIECON_CONFIG_DIR) holds a profile: the shared stores are of the
// built-in calibration.
func hasProfiles(t *testing.T) bool {
	t.Helper()
	dir := os.Getenv(hw.ProfileDirEnv)
	if dir == "" {
		return true // the user's own folder: never shared
	}
	ps, err := filepath.Glob(filepath.Join(dir, "calibration", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(ps) > 0
}
