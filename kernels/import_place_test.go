package kernels

import (
	"strings"
	"testing"
)

// TestReadImportFilePlaces: a named timing file's errors place a bad row as
// FILE:LINE, and a CSV syntax error as FILE:LINE:COL, as validate and hw fit
// place theirs; they said "line 3" and "parse error on line 3, column 41"
// after the file's name.
func TestReadImportFilePlaces(t *testing.T) {
	const header = "hw,dtype,batch,m,n,k,seconds\n"
	const good = "Trainium2,bf16,1,128,128,128,0.001\n"
	tests := []struct{ name, in, want string }{
		{"stray quote", header + good + "Trainium2,bf16,1,256,\"128,256,128,0.002\n", "t.csv:3:41: extraneous or missing \" in quoted-field"},
		{"quote in header", "hw,\"dtype\n", "t.csv:1:11: extraneous or missing \" in quoted-field"},
		{"bad cell", header + good + "Trainium2,bf16,x,256,128,128,0.002\n", "t.csv: 1 bad row(s), nothing imported:\nt.csv:3: batch \"x\""},
		{"short row", header + good + "Trainium2,bf16,1,2,3\n", "\nt.csv:3: 5 fields, the header has 7"},
		{"missing column", "hw,dtype,m\n", "t.csv:1: header lacks column(s) batch, n, k, seconds"},
		{"no rows", header, "t.csv: no data rows after the header"},
	}
	for _, tt := range tests {
		_, err := ReadImportFile(strings.NewReader(tt.in), "t.csv", "Trainium2", "")
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "parse error on line") {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}
