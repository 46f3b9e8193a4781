package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"aiecon/hw"
	"aiecon/model"
)

// Trace is a request trace in the Azure LLM inference format
// (TIMESTAMP,ContextTokens,GeneratedTokens), with times relative to the first
// request.
type Trace struct {
	Path      string
	OffsetsNs []int64 // arrival offset of each request from the first
	Context   []int32 // prompt tokens
	Generated []int32 // output tokens
}

// Len is the number of requests.
func (t *Trace) Len() int { return len(t.OffsetsNs) }

// SpanNs is the time from the first to the last request.
func (t *Trace) SpanNs() int64 {
	if len(t.OffsetsNs) == 0 {
		return 0
	}
	return t.OffsetsNs[len(t.OffsetsNs)-1]
}

func (t *Trace) column(name string) []float64 {
	src := t.Context
	if name == "generated" {
		src = t.Generated
	}
	out := make([]float64, len(src))
	for i, v := range src {
		out[i] = float64(v)
	}
	return out
}

// traceTimeLayouts are the timestamp forms seen in the Azure traces: the
// 2023 ones' "2023-11-16 18:15:46.6805900" (7 fractional digits), the 2024
// week-long ones' "2024-05-10 00:00:00.009930+00:00" (a UTC offset after a
// space, as pandas writes a zoned time), and their ISO-8601 variants.
var traceTimeLayouts = []string{"2006-01-02 15:04:05.9999999", "2006-01-02 15:04:05", "2006-01-02 15:04:05.9999999Z07:00", "2006-01-02T15:04:05.9999999Z07:00", "2006-01-02T15:04:05.9999999"}

// ReadTrace parses a trace. Rows must be in time order; errors name the line.
func ReadTrace(r io.Reader, name string) (*Trace, error) { return ReadTraceMax(r, name, 0) }

// ErrTraceTooLong is wrapped when a trace has more rows than ReadTraceMax
// was allowed to hold.
var ErrTraceTooLong = errors.New("more requests than a run may simulate")

// ReadTraceMax is ReadTrace that stops, with ErrTraceTooLong, at a row past
// maxRows (0: no bound): a trace is held in memory (16 bytes a row) before a
// run's size is estimated, so 10^9 rows would fill 16 GB only to be refused.
func ReadTraceMax(r io.Reader, name string, maxRows int) (*Trace, error) {
	return ReadTraceCheck(r, name, func(row int, _ int64) error {
		if maxRows > 0 && row > maxRows {
			return fmt.Errorf("more than %d rows: %w", maxRows, ErrTraceTooLong)
		}
		return nil
	})
}

// ReadTraceCheck is ReadTrace that calls check (nil: none) with each row's
// number, from 1, and its offset from the first row's time, before keeping
// it; check's error stops the read, placed at the row's line. The runner
// bounds a trace by what a run replays of it, which only the offsets say
// (the rows before the horizon), before the trace is held whole.
func ReadTraceCheck(r io.Reader, name string, check func(row int, offsetNs int64) error) (*Trace, error) {
	t := &Trace{Path: name}
	// encoding/csv reads RFC 4180: quoted fields (a timestamp in quotes, as
	// spreadsheets write it), through a cap of MaxTraceLineBytes a line. A
	// row longer than the header has shifted cells and is refused; a shorter
	// one is read when it holds the columns used.
	cr, cols, nFields, err := traceHeader(r, name)
	if err != nil {
		return nil, err
	}
	need := max(cols[0], cols[1], cols[2]) + 1
	var first, prev time.Time
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, traceCSVError(name, err)
		}
		line, _ := cr.FieldPos(0)
		switch {
		case len(fields) == 1 && strings.TrimSpace(fields[0]) == "":
			continue // a line of spaces
		case len(fields) > nFields:
			return nil, fmt.Errorf("%s:%d: %d fields, more than the header's %d (an unquoted comma shifts the cells after it)", name, line, len(fields), nFields)
		case len(fields) < need:
			return nil, fmt.Errorf("%s:%d: want %d columns, got %d", name, line, need, len(fields))
		}
		ts, err := parseTraceTime(strings.TrimSpace(fields[cols[0]]))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad TIMESTAMP %q", name, line, fields[cols[0]])
		}
		ctx, err := tokenCount(traceColumns[1], fields[cols[1]])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		gen, err := tokenCount(traceColumns[2], fields[cols[2]])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if err := zeroTokens(ctx, gen); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if len(t.OffsetsNs) == 0 {
			first = ts
		} else if ts.Before(prev) {
			return nil, fmt.Errorf("%s:%d: timestamp %s is before the previous row's; a trace must be in time order", name, line, fields[cols[0]])
		}
		prev = ts
		offset := ts.Sub(first) // saturates rather than overflowing
		if !first.Add(offset).Equal(ts) {
			return nil, fmt.Errorf("%s:%d: timestamp %s is more than %v after the first row's; the simulator's clock is int64 nanoseconds", name, line, fields[cols[0]], time.Duration(math.MaxInt64))
		}
		if check != nil {
			if err := check(len(t.OffsetsNs)+1, offset.Nanoseconds()); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
		}
		t.OffsetsNs = append(t.OffsetsNs, offset.Nanoseconds())
		t.Context = append(t.Context, int32(ctx))
		t.Generated = append(t.Generated, int32(gen))
	}
	if len(t.OffsetsNs) == 0 {
		return nil, errors.New(name + ": no requests in trace")
	}
	return t, nil
}

// maxTraceTokens bounds a trace row's token counts (16,777,216, past any
// model's context window).
const maxTraceTokens = 1 << 24

// tokenCount reads a cell of the named token-count column, refusing one
// that is not a whole number from 0 to maxTraceTokens, naming the column
// and the cell as written: "token counts must be whole numbers" named
// neither, whichever of the two was at fault. 0 is zeroTokens' to refuse.
func tokenCount(column, cell string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(cell))
	if err == nil && n >= 0 && n <= maxTraceTokens {
		return n, nil
	}
	return 0, fmt.Errorf("%s %s: token counts must be whole numbers from 1 to %d", column, quotedStart(cell, 40), maxTraceTokens)
}

// zeroTokens refuses a row of 0 prompt or 0 output tokens, as a
// workload's 0 is refused: such a row was served as a call of one token
// (a 24 ms TTFT for an empty prompt) and counted as completed. The Azure
// traces have none (0 of their 28,185 rows), so a 0 is most likely a count an
// export lost.
func zeroTokens(ctx, gen int) error {
	var column string
	switch {
	case ctx == 0:
		column = "ContextTokens"
	case gen == 0:
		column = "GeneratedTokens"
	default:
		return nil
	}
	return fmt.Errorf("%s 0: a model call has at least one token of each (prompt and output); fix or drop the row", column)
}

// traceColumns are the columns a trace is read by, in the order of
// traceHeader's cols.
var traceColumns = [3]string{"TIMESTAMP", "ContextTokens", "GeneratedTokens"}

// traceHeader opens the CSV reader on a trace and reads its header: the
// positions of TIMESTAMP, ContextTokens and GeneratedTokens, and its field
// count.
func traceHeader(r io.Reader, name string) (cr *csv.Reader, cols [3]int, nFields int, err error) {
	br, err := hw.Gunzipped(r, name, "trace")
	if err != nil {
		return nil, cols, 0, err
	}
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" { // a byte-order mark is not part of the header
		br.Discard(3)
	}
	cr = csv.NewReader(&lineCapReader{r: br, line: 1})
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1 // checked by the caller, with the line named
	header, err := cr.Read()
	if err == io.EOF {
		return nil, cols, 0, errors.New(name + ": empty trace (want a header with TIMESTAMP, ContextTokens and GeneratedTokens)")
	}
	if err != nil {
		return nil, cols, 0, traceCSVError(name, err)
	}
	headerLine, _ := cr.FieldPos(0)
	// A file with CR-only line ends reads as one line, its header holding
	// every row, and one saved as UTF-16 lacks every column: say so, as
	// validate does. (With an extra column last, the CR-only file's header
	// held all three, and the trace was said to have no requests.)
	if err := hw.HeaderText(header, []string{"timestamp", "contexttokens", "generatedtokens"}); err != nil {
		return nil, cols, 0, fmt.Errorf("%s:%d: %w", name, headerLine, err)
	}
	cols = [3]int{-1, -1, -1}
	for i, f := range header {
		k := slices.Index(traceColumns[:], strings.TrimSpace(f))
		if k < 0 {
			continue
		}
		if cols[k] >= 0 {
			// The last copy had won without a word, whichever the user meant.
			return nil, cols, 0, fmt.Errorf("%s:%d: column %q appears twice in the header (columns %d and %d)", name, headerLine, traceColumns[k], cols[k]+1, i+1)
		}
		cols[k] = i
	}
	if cols[0] < 0 || cols[1] < 0 || cols[2] < 0 {
		// Quote only the header's start: the whole file was quoted, 758
		// KB of it, where CR-only line ends had made it one line.
		return nil, cols, 0, fmt.Errorf("%s:%d: header must have TIMESTAMP, ContextTokens and GeneratedTokens columns, got %s", name, headerLine, quotedStart(strings.Join(header, ","), maxQuotedHeader))
	}
	return cr, cols, len(header), nil
}

// maxQuotedHeader is how many characters of a header an error quotes:
// enough to show what the columns are, where the header can be a whole
// file of up to MaxTraceLineBytes.
const maxQuotedHeader = 120

// quotedStart is s quoted (%q), cut after n runes with "..." after the
// quote where it was longer.
func quotedStart(s string, n int) string {
	i := 0
	for at := range s {
		if i == n {
			return fmt.Sprintf("%q... (%d bytes in all)", s[:at], len(s))
		}
		i++
	}
	return strconv.Quote(s)
}

// MaxTraceLineBytes is the longest line a trace may have. A trace row is a
// timestamp and two counts, tens of bytes (a wide export with extra columns a
// few hundred, a free-text note column more); encoding/csv holds a whole line
// in memory, so a file with no line break (/dev/zero, a binary file) grew
// until the process died.
const MaxTraceLineBytes = 4 << 20

// errTraceLineTooLong is a line past MaxTraceLineBytes, on the line it
// names (1-based).
type errTraceLineTooLong struct{ line int }

func (e *errTraceLineTooLong) Error() string {
	return fmt.Sprintf("line longer than %d MiB: a trace holds one short row per request (is this a CSV file?)", MaxTraceLineBytes>>20)
}

// lineCapReader passes r through until a line runs past MaxTraceLineBytes,
// then fails with errTraceLineTooLong, so the CSV reader above it never
// buffers more than one capped line.
type lineCapReader struct {
	r    io.Reader
	line int // the line being read, 1-based
	run  int // bytes of it read so far
	err  error
}

func (l *lineCapReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			l.line++
			l.run = 0
			continue
		}
		if l.run++; l.run > MaxTraceLineBytes {
			l.err = &errTraceLineTooLong{line: l.line}
			return i, l.err // the bytes before the cap, then the error
		}
	}
	return n, err
}

// traceCSVError names the file and line of a CSV reading error (a line
// past MaxTraceLineBytes), and the column too for a CSV syntax error (a
// stray quote) through hw.CSVPlace, which validate, hw fit and calibrate
// import place theirs with: a trace's said FILE:LINE alone.
func traceCSVError(name string, err error) error {
	var le *errTraceLineTooLong
	if errors.As(err, &le) {
		return fmt.Errorf("%s:%d: %s", name, le.line, le.Error())
	}
	at := func(line int) string { return fmt.Sprintf("%s:%d", name, line) }
	if perr := hw.CSVPlace(err, name, at); perr != nil {
		return perr
	}
	return fmt.Errorf("%s: %w", name, err)
}

func parseTraceTime(s string) (time.Time, error) {
	for _, layout := range traceTimeLayouts {
		if ts, err := time.Parse(layout, s); err == nil {
			return ts, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

// traceCache loads each trace file once per run.
type traceCache struct {
	dir    string            // relative paths resolve against it (the scenario file's folder)
	given  map[string]*Trace // read before the run (Config.Traces), by the path the scenario gives
	loaded map[string]*Trace
}

func (c *traceCache) load(path string) (*Trace, error) {
	if t, ok := c.given[path]; ok {
		return t, nil
	}
	if c.loaded == nil {
		c.loaded = map[string]*Trace{}
	}
	full := path
	if c.dir != "" && !strings.HasPrefix(path, "/") {
		full = c.dir + "/" + path
	}
	if t, ok := c.loaded[full]; ok {
		return t, nil
	}
	t, err := model.ReadFileWith(full, func(r io.Reader) (*Trace, error) { return ReadTrace(r, full) })
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("trace: %w", err) // it could not be opened or read, or a stop signal ended the wait on a pipe
	}
	if err != nil {
		return nil, err
	}
	c.loaded[full] = t
	return t, nil
}
