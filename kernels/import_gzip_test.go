package kernels

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// TestReadImportGzip: a gzip-compressed timing file is read as the plain
// one is (traces, validate and hw fit read gzip too); it was refused with
// "line 1: parse error on line 1, column 80: bare \" in non-quoted-field".
// A damaged one says its decompression failed.
func TestReadImportGzip(t *testing.T) {
	src := "hw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,128,4096,4096,6.1e-05\nTrainium2,bf16,1,1,4096,4096,0.0001\n"
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(src))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadImport(bytes.NewReader(b.Bytes()), "Trainium2", "t.csv.gz")
	if err != nil {
		t.Fatalf("a gzip-compressed file: %v", err)
	}
	if len(got) != 1 || len(got[0].Measurements) != 2 || got[0].Measurements[1].Line != 3 || got[0].Measurements[1].Seconds != 0.0001 {
		t.Fatalf("read %+v", got)
	}
	if _, err := ReadImport(bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}), "Trainium2", ""); err == nil || !strings.Contains(err.Error(), "reading it as gzip") {
		t.Errorf("a bad gzip header: %v", err)
	}
}
