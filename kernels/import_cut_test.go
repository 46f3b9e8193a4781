package kernels

import (
	"strconv"
	"strings"
	"testing"
)

// TestReadImportCutFile: a timing file whose last line has no line
// terminator was cut (a killed device run returns what the script had
// written), and its last number may be short: "...,1.19e-05" cut to ",1"
// imported as 1 s. It is refused at FILE:LINE, before any bad rows, and
// nothing is imported; the same rows with the terminator import.
func TestReadImportCutFile(t *testing.T) {
	const rows = "hw,dtype,batch,m,n,k,seconds\n" +
		"H100,bf16,1,16,4096,4096,2.5e-05\n" +
		"H100,bf16,1,1,768,4096,1"
	if got, err := ReadImportFile(strings.NewReader(rows+"\n"), "t.csv", "H100", ""); err != nil || len(got) != 1 || len(got[0].Measurements) != 2 {
		t.Fatalf("terminated file: %v", err)
	}
	tests := []struct{ name, in string }{
		{"cut in a number", rows},
		{"cut after a CR", rows + "\r"},
		{"cut in a bad row", rows + "9e-"},
	}
	for _, tt := range tests {
		got, err := ReadImportFile(strings.NewReader(tt.in), "t.csv", "H100", "")
		if err == nil {
			t.Fatalf("%s: imported %+v", tt.name, got)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "t.csv:3: the last line has no line terminator") || !strings.Contains(msg, "nothing imported") {
			t.Errorf("%s: error does not start with the cut at t.csv:3:\n%s", tt.name, msg)
		}
	}
}

// TestReadImportFileLevelFirst: an error that stopped the read (the size
// bound) is the first line of the message, on its own, and not counted as
// a bad row; it was listed among the rows (and past the 20th, not at all).
func TestReadImportFileLevelFirst(t *testing.T) {
	const header = "hw,dtype,batch,m,n,k,seconds\n"
	row := "Trainium2,bf16,1,1,64,64,NaN" + strings.Repeat(" ", 200) + "\n"
	in := header + strings.Repeat(row, maxImportBytes/len(row)+10)
	_, err := ReadImportFile(strings.NewReader(in), "big.csv", "Trainium2", "")
	if err == nil {
		t.Fatal("accepted")
	}
	first, rest, _ := strings.Cut(err.Error(), "\n")
	if !strings.HasPrefix(first, "big.csv: larger than 16 MiB") || !strings.HasSuffix(first, "nothing imported") {
		t.Errorf("first line %q, want the size bound and nothing imported", first)
	}
	n := (maxImportBytes - len(header)) / len(row)
	if want := "big.csv: " + strconv.Itoa(n) + " bad row(s) before that"; !strings.HasPrefix(rest, want) {
		t.Errorf("then %q, want %q", firstLine(rest), want)
	}
	if strings.Count(err.Error(), "larger than") != 1 || strings.Contains(err.Error(), "line terminator") {
		t.Errorf("the bound is repeated, or taken for a cut:\n%s", firstLine(rest))
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
