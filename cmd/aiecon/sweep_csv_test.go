package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"aiecon/study"
)

// sweep --show --format csv says on stderr what the text and the JSON say
// beside the summary and a row has no place for: the runs not complete,
// with the command that finishes them, the warnings, and why no point is
// marked OVERLOADED where the check failed. It said neither,
// so a script reading a killed sweep's CSV took its rows for all of its
// runs. Stdout stays the CSV alone.
func TestSweepCSVNotesOnStderr(t *testing.T) {
	resume := "aiecon sweep --resume 1abc --db x.duckdb"
	tests := []struct {
		name     string
		gap      *sweepGap
		warnings []string
		overload error    // the overload check's failure
		stderr   []string // lines, in order
	}{
		{"just run", nil, nil, nil, nil},
		{"complete", &sweepGap{Total: 4}, []string{}, nil, nil},
		{"not complete", &sweepGap{Pending: 2, Total: 4, Resume: resume}, nil, nil,
			[]string{"aiecon: note: 2 of 4 runs are not complete (not run, failed or interrupted); finish with: " + resume}},
		{"warned", &sweepGap{Total: 4}, []string{"SESSIONS ABANDONED: 2 of 4 runs"}, nil,
			[]string{"aiecon: SESSIONS ABANDONED: 2 of 4 runs"}},
		{"both", &sweepGap{Pending: 1, Total: 4, Resume: resume}, []string{"SESSIONS ABANDONED: 2 of 3 runs"}, nil,
			[]string{"aiecon: note: 1 of 4 runs are not complete (not run, failed or interrupted); finish with: " + resume,
				"aiecon: SESSIONS ABANDONED: 2 of 3 runs"}},
		{"overload unchecked", &sweepGap{Total: 4}, []string{}, errors.New("disk gone"),
			[]string{"aiecon: note: the runs were not checked for overload, so no point is marked OVERLOADED: disk gone"}},
	}
	for _, tt := range tests {
		var out, errs bytes.Buffer
		e := &env{stdout: &out, stderr: &errs, dbPath: "x.duckdb"}
		sum := &study.Summary{SweepID: "1abc", Replications: 2, OverloadErr: tt.overload}
		if err := printSummary(e, "csv", sum, nil, study.ShardSpec{}, tt.warnings, tt.gap, 0); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		if s := strings.TrimSuffix(errs.String(), "\n"); s != "" {
			got = strings.Split(s, "\n")
		}
		if strings.Join(got, "\n") != strings.Join(tt.stderr, "\n") {
			t.Errorf("%s: stderr\n%q\nwant\n%q", tt.name, got, tt.stderr)
		}
		var want bytes.Buffer
		if err := sum.WriteCSV(&want); err != nil {
			t.Fatal(err)
		}
		if out.String() != want.String() {
			t.Errorf("%s: stdout %q, want the summary's CSV alone %q", tt.name, out.String(), want.String())
		}
	}
}
