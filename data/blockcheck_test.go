package data

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCheckBlocks: every checksum of a healthy store holds; overwriting
// bytes inside one block makes exactly that block fail (the mark of a torn
// write), inside a database header that header; a file that is not DuckDB's
// is refused.
func TestCheckBlocks(t *testing.T) {
	path, _ := damagedStore(t)
	c, err := CheckBlocks(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Blocks < 2 || c.BlockSize != 262144 || len(c.Bad) != 0 || c.Torn() || !c.Headers[0].Valid || !c.Headers[1].Valid {
		t.Fatalf("healthy store: %+v", c)
	}
	tests := []struct {
		name    string
		off     int64
		bad     []int
		headers [2]bool
	}{
		{"inside block 1", duckBlocksStart + 262144 + 100000, []int{1}, [2]bool{true, true}},
		{"inside the first database header", duckHeaderSize + 512, nil, [2]bool{false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "copy.duckdb")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			// One odd word: flip's repeated bytes cancel out in an XOR of words.
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteAt([]byte("torn-wr!"), tt.off); err != nil {
				t.Fatal(err)
			}
			f.Close()
			c, err := CheckBlocks(p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Bad, tt.bad) || c.Headers[0].Valid != tt.headers[0] || c.Headers[1].Valid != tt.headers[1] {
				t.Fatalf("%+v, want bad blocks %v and header validity %v", c, tt.bad, tt.headers)
			}
			if c.Torn() != (tt.bad != nil) {
				t.Errorf("Torn() = %v", c.Torn())
			}
			if tt.bad != nil && !strings.Contains(c.String(), "block 1 (byte 274432)") {
				t.Errorf("String() = %q", c.String())
			}
		})
	}
	other := filepath.Join(t.TempDir(), "other.duckdb")
	if err := os.WriteFile(other, make([]byte, 20000), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckBlocks(other); err == nil || !strings.Contains(err.Error(), "not a DuckDB file") {
		t.Errorf("a file of zeros: %v", err)
	}
}
