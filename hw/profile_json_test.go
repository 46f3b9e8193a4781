package hw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLoadProfilePlacesJSONErrors: a profile that is not JSON, or holds a
// value of the wrong type, is refused as FILE:LINE:COL at the bad byte or
// value, with the field's name and not Go's (HostCalibration.Profile...);
// encoding/json's message named neither line nor column, and for a syntax
// error no field (hostile-input review F5).
func TestLoadProfilePlacesJSONErrors(t *testing.T) {
	good, err := json.MarshalIndent(rawProfile(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, field, value, want string // the first field's value becomes value
	}{
		{"not JSON", "version", "NaN", "invalid character 'N' looking for beginning of value"},
		{"a string for a number", "peak_flops_per_s", `"x"`, "hosts.peak_flops_per_s: want a number, got a string"},
		{"a fraction for a version", "version", "1.5", "version: want a whole number, got number 1.5"},
		{"in a serving entry", "prefill_s", "true", "serving[0].prefill_s: want a number, got a bool"},
		{"a serving entry's family", "family", "5", "serving[0].family: want a string, got a number"},
		// An object or a list read "got a object", one column right of it
		// (review213 B3).
		{"an object for a number", "peak_flops_per_s", `{"a": 1}`, "hosts.peak_flops_per_s: want a number, got an object"},
		{"a list for a number", "peak_flops_per_s", `[1, 2]`, "hosts.peak_flops_per_s: want a number, got a list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			re := regexp.MustCompile(`("` + tc.field + `": )[^,\n}]+`)
			loc := re.FindSubmatchIndex(good)
			if loc == nil {
				t.Fatalf("the profile has no %s", tc.field)
			}
			at := loc[3] // where the value starts
			data := append(append(bytes.Clone(good[:at]), tc.value...), good[loc[1]:]...)
			line, col := 1+bytes.Count(data[:at], []byte("\n")), at-bytes.LastIndexByte(data[:at], '\n')
			path := filepath.Join(t.TempDir(), "p.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadProfile(path)
			want := fmt.Sprintf("load profile %s:%d:%d: %s", path, line, col, tc.want)
			if err == nil || err.Error() != want {
				t.Errorf("got %v\nwant %s", err, want)
			}
		})
	}
}

// TestLoadProfileColumnsCountCharacters: on a line with text of more than
// one byte a character before the error, the column counts characters, as
// the scenario reader's do; it counted bytes, five too many after "ééééé"
// (review213 B6). For a value of the wrong type and for an unknown key.
func TestLoadProfileColumnsCountCharacters(t *testing.T) {
	good, err := json.Marshal(rawProfile(t))
	if err != nil {
		t.Fatal(err)
	}
	peak := regexp.MustCompile(`"peak_flops_per_s":[^,}]+`)
	str := bytes.Index(good, []byte(`":"`)) + 3 // inside the first string value
	if str < 3 || str > peak.FindIndex(good)[0] {
		t.Fatal("the profile has no string before peak_flops_per_s")
	}
	accented := append(append(bytes.Clone(good[:str]), "ééééé"...), good[str:]...)
	for _, tc := range []struct{ name, repl, at, want string }{
		{"a wrong type", `"peak_flops_per_s":"x"`, `"x"`, ":1:%d: hosts.peak_flops_per_s: want a number, got a string"},
		{"an unknown key", `"nope":1,$0`, `"nope"`, "at line 1 col %d:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := peak.ReplaceAll(accented, []byte(tc.repl))
			at := bytes.Index(data, []byte(tc.at))
			want := fmt.Sprintf(tc.want, 1+utf8.RuneCount(data[:at]))
			path := filepath.Join(t.TempDir(), "p.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadProfile(path); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("got %v\nwant it to hold %q (the column in characters)", err, want)
			}
		})
	}
}

// TestLoadProfileNamesAnEmptyFileOrAFolder: an empty profile file is said
// to be empty, naming it (the decoder said only "decode profile: EOF"), and
// a folder is said to be one, once (it read "read PATH: is a directory").
func TestLoadProfileNamesAnEmptyFileOrAFolder(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		folder        bool
		want          string
	}{
		{"empty", "", false, "load profile %s: the file is empty; a calibration profile is a file that aiecon calibrate saved"},
		{"blank", " \n\t\n", false, "load profile %s: the file is empty;"},
		{"a folder", "", true, "load profile: %s is a folder, not a file; a calibration profile is a file that aiecon calibrate saved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			var err error
			if tc.folder {
				err = os.Mkdir(path, 0o755)
			} else {
				err = os.WriteFile(path, []byte(tc.content), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = LoadProfile(path)
			want := fmt.Sprintf(tc.want, path)
			if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Count(err.Error(), path) != 1 {
				t.Errorf("got %v\nwant it to begin %q and name the file once", err, want)
			}
		})
	}
}
