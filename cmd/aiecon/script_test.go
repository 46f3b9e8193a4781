package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the aiecon command inside scripts,
// and as a second process that holds a store (holdStoreMain); the tests
// themselves run under defaultStoreGuard, which fails them where one left
// a store at the default path, ./aiecon.duckdb, in the package's folder,
// and removingFixtures, which removes the stores they made once to share.
func TestMain(m *testing.M) {
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "TestMain: the working directory: %v\n", err)
		os.Exit(1)
	}
	testscript.Main(removingFixtures{defaultStoreGuard{m: m, dir: dir, report: os.Stderr}}, map[string]func(){
		"aiecon":                 func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"aiecon-test-hold-store": holdStoreMain,
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script: each is a
// txtar archive of commands and expected output, run in a fresh folder with
// its own store and calibration directory (never the user's). $REPO is the
// repository root, so scripts use the examples it ships as a reader would.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("AIECON_DB", filepath.Join(env.WorkDir, "aiecon.duckdb"))
			env.Setenv("AIECON_CONFIG_DIR", filepath.Join(env.WorkDir, "config"))
			env.Setenv("NO_COLOR", "1")
			env.Setenv("REPO", repo)
			return nil
		},
		RequireExplicitExec: false,
	})
}
