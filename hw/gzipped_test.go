package hw

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func gzipBytes(t *testing.T, s string) []byte {
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

// TestReadServingPointsGzip: a gzip-compressed points file (validate and hw
// fit) is read as the plain one is, as traces are; it was refused with
// "parse error on line 1, column 94: bare \" in non-quoted-field". A damaged
// one says its decompression failed, and the size bound holds on what it
// decompresses to, not on its compressed bytes.
func TestReadServingPointsGzip(t *testing.T) {
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms"
	src := "\ufeff" + header + "\nllama-3-8b,trn1.32xlarge,32,8,4096,128,3968,int8,49.05,7.65\n"
	plain, err := ReadServingPointsFile(strings.NewReader(src), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	z := gzipBytes(t, src)
	pts, err := ReadServingPointsFile(bytes.NewReader(z), "f.csv.gz")
	if err != nil {
		t.Fatalf("a gzip-compressed file: %v", err)
	}
	if len(pts) != 1 || pts[0].TTFTMs != plain[0].TTFTMs || pts[0].Line != 2 || pts[0].File != "f.csv.gz" {
		t.Fatalf("read %+v, the plain file reads %+v", pts, plain)
	}
	// A bad row in it is named by its line, as in a plain file.
	_, err = ReadServingPointsFile(bytes.NewReader(gzipBytes(t, src+"llama-3-8b,trn1.32xlarge,32,8,4096,128,3968,int8,49.05,1e9\n")), "f.csv.gz")
	if err == nil || !strings.Contains(err.Error(), "f.csv.gz:3 (") || !strings.Contains(err.Error(), "tpot_ms: 1e+09 is out of range") {
		t.Errorf("a bad row in a gzip-compressed file: %v", err)
	}
	bomb := gzipBytes(t, header+",note\n"+"llama-3-8b,trn1.32xlarge,32,8,4096,128,3968,int8,49.05,7.65,\""+strings.Repeat("x", maxServingPointBytes)+"\"\n")
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", z[:len(z)-10], "f.csv.gz: gzip-compressed serving-points file: unexpected EOF"},
		{"a bad header", []byte{0x1f, 0x8b, 0, 0}, "f.csv.gz: reading it as gzip (it starts with gzip's magic bytes)"},
		{"past the bound once decompressed", bomb, "larger than 32 MiB"},
	} {
		if _, err := ReadServingPointsFile(bytes.NewReader(tt.data), "f.csv.gz"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s (%d bytes): %v, want %q", tt.name, len(tt.data), err, tt.want)
		}
	}
	if len(bomb) > maxServingPointBytes/100 {
		t.Errorf("the bomb is %d bytes compressed: not a test of the decompressed bound", len(bomb))
	}
}
