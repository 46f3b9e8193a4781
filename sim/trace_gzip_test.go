package sim

import (
	"bytes"
	"compress/gzip"
	"slices"
	"strings"
	"testing"
)

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadTraceGzip: a gzip-compressed trace (published traces are often
// .csv.gz) is read through a decompressor, known by its magic bytes; it
// was refused with ":1: bare \" in non-quoted-field". A damaged one says
// that its decompression failed.
func TestReadTraceGzip(t *testing.T) {
	const src = "\ufeffTIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.0000000,10,5\n"
	plain, err := ReadTrace(strings.NewReader(src), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	z := gzipped(t, src)
	tr, err := ReadTrace(bytes.NewReader(z), "t.csv.gz")
	if err != nil {
		t.Fatalf("a gzip-compressed trace: %v", err)
	}
	if !slices.Equal(tr.OffsetsNs, plain.OffsetsNs) || !slices.Equal(tr.Context, plain.Context) || !slices.Equal(tr.Generated, plain.Generated) {
		t.Fatalf("read %+v, the plain trace reads %+v", tr, plain)
	}
	// Errors in the decompressed rows name their line, as in a plain trace.
	_, err = ReadTrace(bytes.NewReader(gzipped(t, src+"yesterday,1,1\n")), "t.csv.gz")
	if err == nil || !strings.Contains(err.Error(), `t.csv.gz:4: bad TIMESTAMP "yesterday"`) {
		t.Fatalf("a bad row in a gzip-compressed trace: %v", err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", z[:len(z)-10], "t.csv.gz: gzip-compressed trace: unexpected EOF"},
		{"a bad header", []byte{0x1f, 0x8b, 0, 0}, "t.csv.gz: reading it as gzip (it starts with gzip's magic bytes)"},
	} {
		if _, err := ReadTrace(bytes.NewReader(tt.data), "t.csv.gz"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
