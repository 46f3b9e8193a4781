package hw

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
)

// Gunzipped reads a gzip-compressed file (published traces and tables are
// often .csv.gz) through a decompressor, known by its magic bytes whatever
// its name, and any other as it is. Read as CSV, a .csv.gz was refused with
// ":1: bare \" in non-quoted-field", which does not say why. what names
// the kind of file in the errors of a damaged stream ("trace"); name is the
// file. The caller bounds what the decompressed stream may hold (a line
// cap, BoundedReader), as it bounds a plain file.
func Gunzipped(r io.Reader, name, what string) (*bufio.Reader, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%s: reading it as gzip (it starts with gzip's magic bytes): %w", name, err)
	}
	return bufio.NewReader(&gzipErrReader{zr: zr, what: what}), nil
}

// gzipErrReader says that an error in the middle of a file (a truncated
// download, a bad checksum) came from its decompression.
type gzipErrReader struct {
	zr   *gzip.Reader
	what string
}

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip-compressed %s: %w", g.what, err)
	}
	return n, err
}
