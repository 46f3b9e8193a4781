package chart

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"aiecon/data"
	"aiecon/model/format"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Format is an image format a chart can be written in.
type Format string

// The supported formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
)

// Formats lists the supported formats (their file extensions).
func Formats() []Format { return []Format{PNG, SVG} }

// Image sizes in pixels.
const (
	DefaultWidthPx  = 800
	DefaultHeightPx = 500
	MinSizePx       = 100
	MaxSizePx       = 8000
)

// DPI is the resolution charts are drawn at: gonum/plot lays out in points
// (1/72 inch), so at 96 DPI an 800 px wide image is 600 pt wide and a 10 pt
// label is 13 px tall, the size of ordinary screen text. PNG and SVG share it,
// so the two formats of one chart look the same.
const DPI = 96

// Errors a caller can test for with errors.Is; all are the user's input.
var (
	ErrUnknownKind = errors.New("unknown chart kind")
	ErrBadSize     = errors.New("image size out of range")
	ErrFormat      = errors.New("unsupported image format")
	ErrBadRuns     = errors.New("bad run list")
	ErrNoRequests  = errors.New("a latency CDF needs stored requests")
	ErrNoData      = errors.New("nothing to plot")
	ErrOutput      = errors.New("not a file a chart may replace")
)

// FormatFor picks the format from a file name's extension (case-insensitive).
func FormatFor(path string) (Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	for _, f := range Formats() {
		if ext == string(f) {
			return f, nil
		}
	}
	if ext == "" {
		return "", fmt.Errorf("output %s has no extension: %w (use .png or .svg)", path, ErrFormat)
	}
	return "", fmt.Errorf("output %s: %w %q (use .png or .svg)", path, ErrFormat, "."+ext)
}

// CheckOutput checks a path a chart is to be saved to before anything is
// drawn: not a folder or a store (replaceable), and named with an image's
// extension. The folder is named as a folder whatever its name: -o /tmp
// said "has no extension", where -o d.png said "is a folder".
func CheckOutput(path string) (Format, error) {
	if err := replaceable(path); err != nil {
		return "", err
	}
	return FormatFor(path)
}

// CheckSize validates an image size in pixels.
func CheckSize(widthPx, heightPx int) error {
	for _, d := range []struct {
		name string
		v    int
	}{{"width", widthPx}, {"height", heightPx}} {
		if d.v < MinSizePx || d.v > MaxSizePx {
			return fmt.Errorf("%s %d px: %w (allowed: %d to %d px)", d.name, d.v, ErrBadSize, MinSizePx, MaxSizePx)
		}
	}
	return nil
}

// points converts pixels at DPI to gonum's points.
func points(px int) vg.Length { return vg.Length(px) * vg.Inch / DPI }

// Encode writes the chart in format f at its size.
func (c *Chart) Encode(w io.Writer, f Format) error {
	wPt, hPt := points(c.WidthPx), points(c.HeightPx)
	switch f {
	case PNG:
		cv := vgimg.NewWith(vgimg.UseWH(wPt, hPt), vgimg.UseDPI(DPI))
		c.Draw(draw.New(cv))
		if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(w); err != nil {
			return fmt.Errorf("encoding PNG: %w", err)
		}
		return nil
	case SVG:
		cv := vgsvg.New(wPt, hPt)
		c.Draw(draw.New(cv))
		var buf bytes.Buffer
		if _, err := cv.WriteTo(&buf); err != nil {
			return fmt.Errorf("encoding SVG: %w", err)
		}
		out, err := svgSizeInPixels(buf.Bytes(), c.WidthPx, c.HeightPx)
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		return err
	}
	return fmt.Errorf("format %q: %w (use png or svg)", f, ErrFormat)
}

// encodeChart is Chart.Encode; a test replaces it with a drawing that
// never ends.
var encodeChart = (*Chart).Encode

var svgSize = regexp.MustCompile(`<svg width="[^"]*" height="[^"]*"`)

// svgSizeInPixels states the size of the root element in pixels. vgsvg gives
// it in points (600pt for an 800 px chart), which a browser shows at 800 px
// anyway; stating pixels makes the requested size the one written, while the
// viewBox, in points, keeps the drawing as laid out.
func svgSizeInPixels(svg []byte, widthPx, heightPx int) ([]byte, error) {
	loc := svgSize.FindIndex(svg)
	if loc == nil {
		return nil, errors.New("encoding SVG: vgsvg wrote no <svg width height> header")
	}
	head := fmt.Sprintf(`<svg width="%dpx" height="%dpx"`, widthPx, heightPx)
	out := make([]byte, 0, len(svg)+8)
	out = append(out, svg[:loc[0]]...)
	out = append(out, head...)
	return append(out, svg[loc[1]:]...), nil
}

// Save writes the chart to path in the format its extension names,
// replacing a file already there. The image is encoded in memory and
// written to a temporary file beside path, then renamed onto it: a failure
// leaves no half-written file, and a symbolic link at path is replaced, not
// followed (written through, a link to the store overwrote the store).
func (c *Chart) Save(path string) error { return c.SaveContext(context.Background(), path) }

// SaveContext is Save, returning when ctx ends if the chart is still being
// drawn. The drawing runs in gonum's and freetype's code, which no stop
// reaches: a polygon that never finished filling ignored the first stop
// signal. It is left to end with the process; nothing has been written
// then, as the file is written only once the image is whole.
func (c *Chart) SaveContext(ctx context.Context, path string) error {
	if err := replaceable(path); err != nil { // first: a folder is a folder whatever its name
		return fmt.Errorf("writing chart: %w", err)
	}
	f, err := FormatFor(path)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	var buf bytes.Buffer
	encode := encodeChart
	go func() { done <- encode(c, &buf, f) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		return fmt.Errorf("chart %s: stopped while it was being drawn, before it was written: %w", path, ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("chart %s: %w", path, err)
	}
	if err := writeReplacing(path, buf.Bytes()); err != nil {
		return fmt.Errorf("writing chart %s: %w", path, err)
	}
	return nil
}

// underFileError refuses an output path under a file (above, of kind):
// the system's "not a directory" named neither. It is an ErrOutput, the
// user's path to change.
type underFileError struct{ path, above, kind string }

func (e underFileError) Error() string {
	return fmt.Sprintf("%s: %s is %s, not a folder, so no chart can be written under it; give -o a file name in a folder",
		e.path, e.above, e.kind)
}

func (e underFileError) Is(target error) bool { return target == ErrOutput }

// replaceable refuses a path a chart must not replace or cannot be written
// at: one under a file (data.NotFolderOnPath), a folder, a file
// that is not a regular file, or a DuckDB database (a store named with an
// image's extension, as --db x.png allows, would be renamed away under the
// chart).
func replaceable(path string) error {
	if above, kind := data.NotFolderOnPath(path); above != "" {
		return underFileError{path: path, above: above, kind: kind}
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink != 0 {
		return nil // nothing there, or a link, which is replaced
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a folder, %w; give -o a file name ending .png or .svg", path, ErrOutput)
	}
	if !fi.Mode().IsRegular() {
		// Opening a named pipe below, to look for a store's magic bytes,
		// waited for a writer forever; a pipe, socket or device is no
		// chart's to replace either.
		return fmt.Errorf("%s is a %s, %w", path, format.FileKind(fi.Mode()), ErrOutput)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil // the rename will say what is wrong
	}
	defer f.Close()
	head := make([]byte, 12)
	if n, _ := io.ReadFull(f, head); n == 12 && string(head[8:12]) == "DUCK" {
		return fmt.Errorf("%s is a DuckDB database, %w", path, ErrOutput)
	}
	return nil
}

// writeReplacing writes b to a new file in path's folder and renames it onto
// path.
func writeReplacing(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // name the folder, not the temporary file
			return fmt.Errorf("cannot create a file in %s: %w", filepath.Dir(path), pe.Err)
		}
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp's 0600 would hide the image from others
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
