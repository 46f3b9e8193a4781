package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"aiecon/hw"
)

// flagInputCase is a command line refused as bad input: its exit code,
// what stderr says and what it must not say.
type flagInputCase struct {
	args    []string
	code    int
	want    string
	notWant string
}

// flagInputCases are TestFlagInputErrors' command lines.
var flagInputCases = []flagInputCase{
	{[]string{"run", "--no-store", "--seed", "abc"}, 2, `invalid argument "abc" for "--seed" flag: want a whole number from 1 to 9223372036854775807`, "strconv"},
	{[]string{"run", "--no-store", "--seed", "9223372036854775808"}, 2, "want a whole number from 1", "driver"},
	{[]string{"run", "--no-store", "--horizon", "10"}, 2, `invalid argument "10" for "--horizon" flag: duration "10" needs a unit`, "--set"},
	// A bare number is offered units a horizon takes: "5s or 5ms" offered
	// 5ms, which --horizon then refused.
	{[]string{"run", "--no-store", "--horizon", "5"}, 2, `duration "5" needs a unit: want a duration from 1s to 366d, e.g. 5m or 5h`, "5ms"},
	{[]string{"run", "--no-store", "--horizon", "0.001"}, 2, `e.g. 0.001h or 0.001d`, "0.001m"},
	{[]string{"run", "--no-store", "--horizon", "367d"}, 2, "want a duration from 1s to 366d", "--set"},
	// 1 ns past the bound, lost in float64, ran.
	{[]string{"run", "--no-store", "--horizon", "366d1ns"}, 2, "want a duration from 1s to 366d", "--set"},
	{[]string{"run", "--no-store", "--set", "horizon=366d1ns"}, 2, "horizon: 8784h0m0.000000001s is out of range (allowed: 1s to 366d)", ""},
	// A duration past the parser's range was given that range, not the horizon's.
	{[]string{"run", "--no-store", "--horizon", "10000000h"}, 2, `invalid argument "10000000h" for "--horizon" flag: want a duration from 1s to 366d`, "36500d"},
	{[]string{"sweep", "x.yaml", "--horizon", "10000000h"}, 2, "want a duration from 1s to 366d", "36500d"},
	{[]string{"sweep", "x.yaml", "--seed", "-1"}, 2, "want a whole number from 1", "strconv"},
	{[]string{"hw", "bogus"}, 2, `unknown command "bogus" for "aiecon hw"`, ""},
	// An unknown flag named neither the nearest flag nor --help; run and
	// show print JSON with --json, the others with --format json, and each
	// name points to the other.
	{[]string{"optimize", "baseline", "--instance", "p5.48xlarge"}, 2, "unknown flag: --instance; did you mean --instances? (aiecon optimize --help lists its flags)", ""},
	{[]string{"show", "last", "--format", "json"}, 2, "unknown flag: --format; did you mean --json?", ""},
	{[]string{"sweep", "x.yaml", "--json"}, 2, "unknown flag: --json; did you mean --format?", ""},
	{[]string{"run", "--no-store", "--jsn"}, 2, "unknown flag: --jsn; did you mean --json?", ""},
	{[]string{"run", "--no-store", "--qqqqqqq"}, 2, "unknown flag: --qqqqqqq (aiecon run --help lists its flags)", "did you mean"},
	{[]string{"run", "--no-store", "--set", "seed=18446744073709551616"}, 2, "seed: out of range (allowed: 1 to 2^63-1", ""},
	// Past uint64 too, it read "want an integer" of an integer.
	{[]string{"run", "--no-store", "--set", "seed=99999999999999999999999"}, 2, "seed: 99999999999999999999999 is out of range (allowed: 1 to 2^63-1", "want an integer"},
	{[]string{"run", "--no-store", "--set", "fleet.count=-99999999999999999999999"}, 2,
		"fleet.count: -99999999999999999999999 is out of range (past the 64-bit integers the field holds)", "want an integer"},
	// -j 100000000 ran out of memory starting its workers (a goroutine dump, exit 2 by accident).
	{[]string{"sweep", "x.yaml", "-j", "100000000"}, 2, "--jobs 100000000: want 1 to 1024 (each worker holds one run in memory", "goroutine"},
	{[]string{"optimize", "baseline", "-j", "100000000"}, 2, "--jobs 100000000: want 1 to 1024", "goroutine"},
	{[]string{"forecast", "x.yaml", "-j", "0"}, 2, "--jobs 0: want 1 to 1024", ""},
	// An empty list read as no candidate having a price.
	{[]string{"optimize", "baseline", "--instances", ""}, 2, "--instances: empty list", "no candidate"},
	// A value listed twice simulated and listed each candidate twice.
	{[]string{"optimize", "baseline", "--instances", "trn2.48xlarge,p5.48xlarge,TRN2.48xlarge"}, 2,
		"--instances: TRN2.48xlarge is listed twice; list each instance type once", ""},
	{[]string{"optimize", "baseline", "--tp", "8", "--tp", "16", "--tp", "8"}, 2, "--tp: 8 is listed twice; list each TP degree once", ""},
	{[]string{"optimize", "baseline", "--max-num-seqs", "16,16"}, 2, "--max-num-seqs: 16 is listed twice; list each batch limit once", ""},
	// A count given as 0 read as "the default": --samples 0 ran every sample for 48 s.
	{[]string{"forecast", "--samples", "0", "--no-store"}, 2, "--samples 0: want 1 or more (leave --samples out for the default)", ""},
	{[]string{"forecast", "--periods", "0", "--no-store"}, 2, "--periods 0: want 1 or more", ""},
	// -1 was told how many periods the forecast has.
	{[]string{"forecast", "--periods", "-1", "--no-store"}, 2, "--periods -1: want 1 or more (leave --periods out for the default)", "has 12 periods"},
	{[]string{"sweep", "x.yaml", "--replications", "-2"}, 2, "--replications -2: want 1 or more", ""},
	{[]string{"sweep", "x.yaml", "--replications", "0"}, 2, "--replications 0: want 1 or more", ""},
	{[]string{"sweep", "x.yaml", "--shards", "0"}, 2, "--shards 0: want 1 or more", ""},
	// An empty id read as "not given": a new forecast ran.
	{[]string{"forecast", "--resume", "", "--sources"}, 2, `--resume: empty forecast id; give the id the stop message names, a prefix of it, or "last"`, ""},
	// A run to an in-memory store is the user's choice of store (exit 2), not a failure of the run (exit 1).
	{[]string{"--db", ":memory:", "run", "--horizon", "1m"}, 2, "runs are stored in files; an in-memory store only describes the schema", ""},
	// Bytes that are not UTF-8 failed in the driver ("could not bind parameter", exit 1).
	{[]string{"run", "--no-store", "--name", "x\xff"}, 2, `--name "x\xff": byte 0xff at offset 1 is not UTF-8 text`, "bind"},
	{[]string{"runs", "--name", "\xff"}, 2, `--name "\xff": byte 0xff at offset 0 is not UTF-8 text`, "bind"},
	{[]string{"sql", "select '\xff'"}, 2, `argument 1 "select '\xff'": byte 0xff at offset 8`, "bind"},
	{[]string{"run", "--no-store", "--name", "a\x1b[2Jb"}, 2, `--name: "a\x1b[2Jb" holds the invisible character U+001B`, ""},
	// Under a second no window fits; the error names the flag.
	{[]string{"run", "--no-store", "--horizon", "500ms"}, 2, `"--horizon" flag: want a duration from 1s to 366d`, ""},
	{[]string{"optimize", "baseline", "--horizon", "500ms"}, 2, `--horizon "500ms": want a duration from 1s to 366d`, ""},
	// An empty --db failed as the store's error, exit 1.
	{[]string{"--db", "", "runs"}, 2, "--db: empty path", ""},
	// An empty --name (--name "$NAME", NAME unset) stored the run under
	// the scenario's name, exit 0.
	{[]string{"run", "--no-store", "--name", ""}, 2, "--name: empty name (an unset shell variable?)", ""},
	{[]string{"run", "--no-store", "--name", " "}, 2, "--name: empty name", ""},
	// An empty --variant (--variant "$V", V unset) ran every variant, exit 0.
	{[]string{"run", "../../examples/scenarios/p5-chat-api.yaml", "--no-store", "--horizon", "1m", "--variant", ""}, 2, "--variant: empty name (an unset shell variable?)", ""},
	{[]string{"run", "--no-store", "--horizon", "1m", "--variant", " "}, 2, "--variant: empty name", ""},
	// help and completion took what they did not know for done, exit 0.
	{[]string{"help", "nope"}, 2, "help nope: no such command; aiecon help lists the commands", "Usage"},
	{[]string{"help", "rnu"}, 2, "help rnu: no such command; did you mean run or runs?", ""},
	{[]string{"help", "hw", "nope"}, 2, "help hw nope: no such command; aiecon hw --help lists its commands", ""},
	{[]string{"completion", "nope"}, 2, "completion nope: no such shell; want bash, fish, powershell or zsh", "Usage"},
	// A 100,000-character name was stored and widened every listing.
	{[]string{"run", "--no-store", "--name", strings.Repeat("x", 100_000)}, 2, "--name: 100000 characters; at most 200", ""},
	// A --set path was echoed raw in "--set PATH: bad path segment": an escape reached the terminal.
	{[]string{"run", "--no-store", "--set", "fleet.\x1b[2Jcount=1"}, 2, `the path holds the unprintable character U+001B`, "\x1b"},
	// An empty --set value (an unset shell variable) reset the field to
	// its default: --set fleet.count= ran 1 instance, not 4, exit 0.
	{[]string{"run", "--no-store", "--set", "fleet.count="}, 2,
		`invalid argument "fleet.count=" for "--set" flag: fleet.count is given no value (an unset shell variable?)`, ""},
	// "=" has no path to name: it read " is given no value".
	{[]string{"run", "--no-store", "--set", "="}, 2, `--set "=": want path=value`, "is given no value"},
	{[]string{"sweep", "x.yaml", "--set", "fleet.count= "}, 2, "give a value, or fleet.count=null to reset it", "x.yaml"},
	{[]string{"optimize", "baseline", "--set", "workloads[chat].name="}, 2, "or workloads[chat].name=null to reset it", "built-in"},
	// The search sets the count on every evaluation: --set fleet.count=3 ran it unchanged.
	// Refused before the store is opened, so ./aiecon.duckdb is not made here.
	{[]string{"optimize", "baseline", "--set", "fleet.count=3"}, 2, "--set fleet.count=3: optimize searches the instance count itself", ""},
	// --passes 1000000000 timed the grid until interrupted.
	{[]string{"calibrate", "--passes", "1000000000"}, 2, "--passes 1000000000: want 1 to 20", ""},
	{[]string{"calibrate", "--passes", "0"}, 2, "--passes 0: want 1 to 20", ""},
	// A file where the export folder goes: exit 1 with mkdir's message.
	{[]string{"export", "last", "--out", "script_test.go"}, 2, "--out script_test.go: is a file; want a folder", "mkdir"},
	// An empty path (an unset shell variable) wrote to the default name without a word.
	{[]string{"export", "last", "--out", ""}, 2, "--out: empty path (an unset shell variable?)", ""},
	{[]string{"plot", "last", "--kind", "queue", "-o", ""}, 2, "-o/--output: empty path (an unset shell variable?)", ""},
	{[]string{"plot", "compare", "a", "b", "--kind", "queue", "--output="}, 2, "-o/--output: empty path", ""},
}

// TestFlagInputErrors: bad --seed, --horizon and hw subcommands exit 2 with
// a message naming the flag, not strconv's or the --set it becomes.
func TestFlagInputErrors(t *testing.T) {
	for _, c := range flagInputCases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != c.code || !strings.Contains(errs, c.want) || (c.notWant != "" && strings.Contains(errs, c.notWant)) {
				t.Fatalf("exit %d, stderr %q; want exit %d with %q and without %q", code, errs, c.code, c.want, c.notWant)
			}
		})
	}
	if code, out, _ := hwRun(t, "", "hw"); code != 0 || !strings.Contains(out, "Available Commands") {
		t.Errorf("plain hw: exit %d, want its help:\n%s", code, out)
	}
}

// TestSetNullResets: --set KEY=null (or ~) still resets a field to its
// default, as the refusal of an empty value tells the user to write.
func TestSetNullResets(t *testing.T) {
	for _, v := range []string{"null", "~"} {
		code, out, errs := hwRun(t, "", "run", "baseline", "--no-store", "-q", "--horizon", "1s", "--set", "fleet.count="+v)
		if code != 0 || !strings.Contains(out, "1 x trn2.48xlarge") {
			t.Errorf("fleet.count=%s: exit %d, want 0 and 1 instance:\n%s%s", v, code, out, errs)
		}
	}
}

// TestValidateErrorsNameTheCSVLine: a point aiecon cannot lay out is
// reported at its CSV file and line, not at the generated scenario's text
// ("built-in validation point:9:71").
func TestValidateErrorsNameTheCSVLine(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	path := filepath.Join(t.TempDir(), "pts.csv")
	csv := "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n" +
		"llama-3-8b,inf2.48xlarge,5,8,4096,128,128,bf16,60,10\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := hwRun(t, "", "validate", path)
	want := path + ":2 (llama-3-8b on inf2.48xlarge TP5 BS8 128 in / 128 out bf16 weights): tp 5 is not a degree inf2.48xlarge supports (allowed: 1, 2, 4, 8, 12, 24); or pass --skip-unknown"
	if code != 2 || !strings.Contains(errs, want) || strings.Contains(errs, "validation point") {
		t.Fatalf("exit %d, stderr %q; want exit 2 with %q", code, errs, want)
	}
}

// TestStoreThatIsNotDuckDB: --db or a merge input naming another file, an
// empty file or a directory is an input error (exit 2) with a clear message, not the
// driver's I/O error (exit 1), and what is there is left as it was.
func TestStoreThatIsNotDuckDB(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string // text "" makes an empty file
		dir, fifo  bool
		want       string
	}{
		{"a text file", "my notes, not a database\n", false, false, "is --db pointing at another file?"},
		{"an empty file", "", false, false, "an empty file"},
		{"a directory", "", true, false, "it is a directory (a store is a file"},
		// A named pipe blocked the open forever.
		{"a named pipe", "", false, true, "it is a named pipe, not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "store")
			var err error
			switch {
			case c.dir:
				err = os.Mkdir(path, 0o755)
			case c.fifo:
				err = syscall.Mkfifo(path, 0o644)
			default:
				err = os.WriteFile(path, []byte(c.text), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out.duckdb")
			salvaged := filepath.Join(t.TempDir(), "salvaged.duckdb")
			for _, args := range [][]string{{"runs", "--db", path}, {"run", "--db", path, "--horizon", "1m"}, {"merge", out, path},
				{"doctor", "--db", path, "--out", salvaged}} {
				code, _, errs := hwRun(t, "", args...)
				want := c.want
				if args[0] == "merge" && strings.Contains(want, "--db") {
					want = "each input of merge is an aiecon store file" // no --db named it
				}
				// The advice for an empty --db (remove it, and aiecon creates a store there) is not for a merge input.
				if args[0] == "merge" && strings.Contains(errs, "creates a store there") {
					t.Errorf("%v: stderr %q gives --db's advice to a merge input", args, errs)
				}
				if code != 2 || !strings.Contains(errs, "not a DuckDB database") || !strings.Contains(errs, want) {
					t.Errorf("%v: exit %d, stderr %q; want exit 2 saying it is not a DuckDB database: %s", args, code, errs, want)
				}
			}
			if fi, err := os.Stat(path); err != nil || fi.IsDir() != c.dir {
				t.Fatalf("the path changed kind: %v", err)
			}
			if c.dir || c.fifo {
				return // nothing to read back (reading a pipe blocks)
			}
			if b, _ := os.ReadFile(path); string(b) != c.text {
				t.Errorf("the file was changed: %q", b)
			}
		})
	}
}

// TestScenariosShowRefusesBinary: 'scenarios show FILE' prints a file as
// given, but only YAML text: bytes that are not text are refused at their
// line rather than echoed to a terminal.
func TestScenariosShowRefusesBinary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blob.yaml")
	if err := os.WriteFile(path, []byte("name: x\n\x00\x01\x02\xff\xfe"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := hwRun(t, "", "scenarios", "show", path)
	if code != 2 || out != "" || !strings.Contains(errs, path+":2:") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2, nothing printed, the line named", code, out, errs)
	}
	// Nor does it print a file that is YAML but not a scenario (it printed
	// /etc/hostname and exited 0).
	other := filepath.Join(t.TempDir(), "hostname")
	if err := os.WriteFile(other, []byte("vm\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := hwRun(t, "", "scenarios", "show", other); code != 2 || out != "" || !strings.Contains(errs, other) {
		t.Fatalf("a file that is not a scenario: exit %d, stdout %q, stderr %q; want exit 2 naming it", code, out, errs)
	}
}

// TestStoreFromEnvNamedInAdvice: a store $AIECON_DB names that is not a
// DuckDB database is blamed on $AIECON_DB, not on a --db nobody typed; a
// --db given beside it is still named as --db.
func TestStoreFromEnvNamedInAdvice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("my notes, not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AIECON_DB", path)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"runs"}, "is $AIECON_DB pointing at another file?"},
		{[]string{"run", "--horizon", "1m"}, "is $AIECON_DB pointing at another file?"},
		{[]string{"sql", "SELECT 1"}, "is $AIECON_DB pointing at another file?"},
		{[]string{"runs", "--db", path}, "is --db pointing at another file?"},
	} {
		code, _, errs := hwRun(t, "", tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 saying %q", tt.args, code, errs, tt.want)
		}
	}
}
