package kernels

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model/llm"
)

// ImportColumns are the columns of a kernel-timing CSV, in any order, with a
// header row:
//
//	hw       the chip, as the catalog names it (aiecon hw list), e.g. Trainium2
//	dtype    the compute format: fp32, bf16, fp16, fp8 or int8
//	batch    independent products in the call (heads, experts), >= 1
//	m, n, k  the product (m x k)(k x n), each >= 1
//	seconds  the time of one batched GEMM on one tensor-parallel device (a
//	         logical NeuronCore or one GPU): a median over repetitions, > 0
//
// One row per (dtype, batch, m, n, k): aggregate repetitions before importing.
var ImportColumns = []string{"hw", "dtype", "batch", "m", "n", "k", "seconds"}

// ReadImportFile parses a kernel-timing CSV for the chip named chipName and
// returns one imported calibration per dtype, in order of first appearance,
// with the device's catalogued peak and HBM bandwidth. A gzip-compressed
// file is decompressed (hw.Gunzipped). Every row is checked;
// if any is bad, the error lists each bad row with its line number and
// nothing is returned, so nothing is half-imported. A file whose last line
// has no line terminator is refused as cut, and an error that stopped the
// read (the size bound) is said first, on its own line.
//
// Its errors place a bad row as FILE:LINE (FILE:LINE:COL for a CSV syntax
// error), name being the file's path, as validate and hw fit place theirs,
// and name the file where they are about all of it. Where name is "" they
// say "line N" (the tests' ReadImport).
func ReadImportFile(r io.Reader, name, chipName, source string) ([]hw.ImportedCalibration, error) {
	chip, err := hw.ChipByName(chipName)
	if err != nil {
		return nil, fmt.Errorf("import: --hw: %w", err)
	}
	dev := hw.DeviceOf(chip)
	f := timingFile(name)
	// A .csv.gz is read as traces are; the bound is on what it decompresses to.
	plain, err := hw.Gunzipped(r, f.whole(), "timing file")
	if err != nil {
		return nil, err
	}
	tail := &tailReader{r: hw.BoundedReader(plain, maxImportBytes, fmt.Sprintf("a timing file holds one row per shape, at most %d", MaxImportRows))}
	cr := csv.NewReader(tail)
	cr.FieldsPerRecord = -1 // checked per row, to report the line
	header, col, err := readImportHeader(cr, f)
	if err != nil {
		return nil, err
	}
	im := importer{f: f, header: header, col: col, chip: chip.Name, dev: &dev, source: source,
		index: map[llm.DType]int{}, seen: map[[5]string]int{}}
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A ParseError names its own line; the reader carries on at the next record.
			if perr := hw.CSVPlace(err, name, f.at); perr != nil {
				im.errs.add(perr)
				continue
			}
			// Anything else stopped the read (the size bound, a gzip error):
			// the file's fault, not a row's.
			im.errs.file = fmt.Errorf("%s: %w: nothing imported", f.whole(), err)
			break
		}
		line, _ := cr.FieldPos(0)
		if rows++; rows > MaxImportRows {
			return nil, fmt.Errorf("%s: more than %d rows: a timing file holds one row per dtype and shape; import it in parts", f.top(line), MaxImportRows)
		}
		im.row(rec, line)
	}
	if im.errs.file == nil && rows > 0 && tail.cut() {
		im.errs.file = fmt.Errorf("%s: the last line has no line terminator: the file was cut (a device run killed "+
			"or timed out mid-write?), so its last number may be short; delete that line or time it again: nothing imported", f.top(tail.lines+1))
	}
	if err := im.errs.err(f); err != nil {
		return nil, err
	}
	if len(im.out) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", f.whole())
	}
	return im.out, nil
}

// importer gathers the rows of one timing file into a calibration per
// dtype, and the errors of the bad ones.
type importer struct {
	f      timingFile
	header []string
	col    map[string]int
	chip   string
	dev    *hw.Device
	source string
	errs   importErrors
	out    []hw.ImportedCalibration
	index  map[llm.DType]int
	seen   map[[5]string]int // dtype and shape -> line
}

// row checks the record at line and adds it, or records why it is bad.
func (im *importer) row(rec []string, line int) {
	f := im.f
	if len(rec) != len(im.header) {
		im.errs.add(fmt.Errorf("%s: %d fields, the header has %d", f.at(line), len(rec), len(im.header)))
		return
	}
	m, dt, err := parseImportRow(rec, im.col, im.chip, im.dev)
	if err != nil {
		im.errs.add(fmt.Errorf("%s: %w", f.at(line), err))
		return
	}
	key := [5]string{string(dt), strconv.Itoa(m.Batch), strconv.Itoa(m.M), strconv.Itoa(m.N), strconv.Itoa(m.K)}
	if first, dup := im.seen[key]; dup {
		im.errs.add(fmt.Errorf("%s: %s %dx(%dx%dx%d) repeats line %d (one row per shape: aggregate repetitions first)", f.at(line), dt, m.Batch, m.M, m.N, m.K, first))
		return
	}
	im.seen[key] = line
	m.Line = line
	i, ok := im.index[dt]
	if !ok {
		i = len(im.out)
		im.index[dt] = i
		im.out = append(im.out, hw.ImportedCalibration{
			Chip: im.chip, DType: dt, PeakFLOPSPerS: im.dev.Peak(dt), BytesPerS: im.dev.HBMBytesPerS, Source: im.source,
		})
	}
	im.out[i].Measurements = append(im.out[i].Measurements, m)
}

// tailReader remembers the last byte it passed on and counts line feeds,
// so that the import can tell a file that ends in a line terminator from
// one cut mid-line: encoding/csv accepts a last record with none.
type tailReader struct {
	r     io.Reader
	n     int64
	last  byte
	lines int
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.n += int64(n)
		t.last = p[n-1]
		t.lines += bytes.Count(p[:n], []byte{'\n'})
	}
	return n, err
}

// cut reports whether the input was not empty and did not end in a line feed.
func (t *tailReader) cut() bool { return t.n > 0 && t.last != '\n' }

// timingFile is the name of the timing file an import reads ("" where the
// reader has none), for the places its errors give.
type timingFile string

// at places a line: FILE:LINE, or "line N" in a file with no name.
func (f timingFile) at(line int) string {
	if f == "" {
		return fmt.Sprintf("line %d", line)
	}
	return fmt.Sprintf("%s:%d", f, line)
}

// top places a line in an error of its own, not in the list of bad rows:
// a file with no name is called the import there.
func (f timingFile) top(line int) string {
	if f == "" {
		return "import: " + f.at(line)
	}
	return f.at(line)
}

// whole names the file, or the import where it has no name.
func (f timingFile) whole() string {
	if f == "" {
		return "import"
	}
	return string(f)
}

// Bounds on a timing file. A shape sweep is hundreds to a few thousand
// rows; 300,000 rows held 545 MB while importing and made a 53 MB profile
// that every later run loads, and a file of bad rows listed each one.
const (
	MaxImportRows         = 100000
	maxImportBytes        = 16 << 20
	maxListedImportErrors = 20
)

// importErrors collects the bad rows of an import: every one is counted,
// the first maxListedImportErrors are listed (300,000 bad rows printed
// 300,000 lines).
type importErrors struct {
	file   error // what stopped the read or spoils the file: said first, on its own
	listed []error
	more   int
}

func (e *importErrors) add(err error) {
	if len(e.listed) < maxListedImportErrors {
		e.listed = append(e.listed, err)
		return
	}
	e.more++
}

func (e *importErrors) err(f timingFile) error {
	if len(e.listed) == 0 {
		return e.file
	}
	err := errors.Join(e.listed...)
	if e.more > 0 {
		err = fmt.Errorf("%w\n... and %d more bad row(s)", err, e.more)
	}
	if e.file != nil {
		return fmt.Errorf("%w\n%s: %d bad row(s) before that:\n%w", e.file, f.whole(), len(e.listed)+e.more, err)
	}
	return fmt.Errorf("%s: %d bad row(s), nothing imported:\n%w", f.whole(), len(e.listed)+e.more, err)
}

// readImportHeader reads the header row and maps each column name (any case)
// to its index, refusing duplicate and missing columns.
func readImportHeader(cr *csv.Reader, f timingFile) ([]string, map[string]int, error) {
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s: empty file: want a header row %s", f.whole(), strings.Join(ImportColumns, ","))
	}
	if perr := hw.CSVPlace(err, string(f), f.top); perr != nil {
		return nil, nil, perr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", f.top(1), err)
	}
	col, err := hw.HeaderIndex(header, ImportColumns)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w (want %s)", f.top(1), err, strings.Join(ImportColumns, ","))
	}
	return header, col, nil
}

// ImportDTypes lists the dtypes an import takes, as its help and its
// refusal of another name both print them: every dtype but the
// weight-only ones (int4), which no GEMM computes in.
func ImportDTypes() string {
	var ds []llm.DType
	for _, d := range llm.DTypes {
		if !d.WeightOnly() {
			ds = append(ds, d)
		}
	}
	return llm.JoinDTypes(ds)
}

func parseImportRow(rec []string, col map[string]int, chip string, dev *hw.Device) (hw.Measurement, llm.DType, error) {
	get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
	var errs []error
	if h := get("hw"); !strings.EqualFold(h, chip) {
		errs = append(errs, fmt.Errorf("hw %q is not the chip being imported (%s)", h, chip))
	}
	dt, err := llm.ParseDType(strings.ToLower(get("dtype")))
	if err != nil {
		errs = append(errs, fmt.Errorf("dtype: unknown dtype %q (allowed: %s)", get("dtype"), ImportDTypes()))
	} else if dt.WeightOnly() {
		errs = append(errs, fmt.Errorf("dtype %s: a weight-only format, which no GEMM computes in; give the timing under its compute format (bf16, fp16 or fp8)", dt))
	} else if !dev.Supports(dt) {
		errs = append(errs, fmt.Errorf("dtype %s: %s has no catalogued peak for it", dt, chip))
	}
	var dims [4]int
	for i, c := range []string{"batch", "m", "n", "k"} {
		v, err := strconv.Atoi(get(c))
		if err != nil || v < 1 {
			errs = append(errs, fmt.Errorf("%s %q must be an integer >= 1", c, get(c)))
		}
		dims[i] = v
	}
	sec, err := strconv.ParseFloat(get("seconds"), 64)
	if err != nil || !(sec > 0) || math.IsInf(sec, 0) {
		errs = append(errs, fmt.Errorf("seconds %q must be a positive number", get("seconds")))
	}
	if len(errs) > 0 {
		return hw.Measurement{}, "", errors.Join(errs...)
	}
	if err := hw.PlausibleGEMMSeconds(sec, dims, dt, dev); err != nil {
		return hw.Measurement{}, "", err
	}
	return hw.Measurement{Batch: dims[0], M: dims[1], N: dims[2], K: dims[3], Seconds: sec}, dt, nil
}

// The bounds on an imported timing are hw's, which checks a saved
// profile's imported rows with the same rule.
const (
	maxOverheadS = hw.MaxImportOverheadS
	maxSlowdown  = hw.MaxImportSlowdown
)

// MergeImported returns a copy of p's imported calibrations with those in
// add replacing any for the same chip and dtype (an import is a complete
// measurement of that pair, not an addition to it).
func MergeImported(existing, add []hw.ImportedCalibration) []hw.ImportedCalibration {
	var out []hw.ImportedCalibration
	for _, e := range existing {
		replaced := false
		for _, a := range add {
			if strings.EqualFold(a.Chip, e.Chip) && a.DType == e.DType {
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, e)
		}
	}
	return append(out, add...)
}
