package hw

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// The bounds a serving-points file is held to. A measurement outside them is
// a slip (a unit, a column shifted, a typed digit too many), not a benchmark:
// accepted, 1e308 ms fitted gemm_scale to 3e-308 and validate printed a
// 300-digit error, and batch 10^9 failed deep in the scenario it built.
const (
	// MaxServingPointRows bounds a file's data rows: validate simulates each
	// row (about 4 ms for a static batch, more for a closed loop), so 200,000
	// rows ran for a quarter of an hour. The largest published file has
	// under 1,400. hw fit costs more a row (about 15 ms: minutes at the
	// cap, more with --cv); the cap stays, as the cost is linear and
	// interruptible, and hw fit says it is still fitting past two seconds.
	// A file's closed loops are bounded by their work, not their count
	// (runner's validateFileMaxSeqSteps).
	MaxServingPointRows = 10000
	// maxServingPointBytes bounds the bytes read, so that one field that
	// never ends (a quote left open in a huge file) cannot fill memory.
	maxServingPointBytes = 32 << 20
	// maxPointSeqs is the most sequences one replica batches, a static
	// batch or a closed loop's clients: the scenario's
	// fleet.replica.max_num_seqs allows 1 to 4096.
	maxPointSeqs = 4096
	// maxPointSeqLen is the longest sequence, the scenario's
	// fleet.replica.max_batched_tokens bound (1,048,576 tokens).
	maxPointSeqLen = 1 << 20
	// maxPointTP is far above any instance's devices (the largest in the
	// catalog has 64); the instance's own count is checked when the row runs.
	maxPointTP = 1024
	// minPointMs is a microsecond: no accelerator produces a token faster.
	minPointMs = 1e-3
	// maxPointTTFTMs is an hour to the first token, maxPointTPOTMs a minute
	// per output token: slower is a unit slip (seconds written as ms, or
	// microseconds as ms), not a serving measurement.
	maxPointTTFTMs = 3.6e6
	maxPointTPOTMs = 6e4
	// maxPointE2EMs is a day for one request, end to end (the published
	// files' slowest is under 19 minutes); minPointTokS is a token every
	// 1,000 s and maxPointTokS ten million tokens a second, over 300 times
	// the published files' fastest replica (27,304): past them output_tok_s
	// or e2e_ms is a unit slip, and validate printed 1e300 tokens/s as a
	// 300-digit decoding batch.
	maxPointE2EMs = 8.64e7
	minPointTokS  = 1e-3
	maxPointTokS  = 1e7
	// maxPointPrompts is the most requests an open loop's benchmark sent
	// (num-prompts; validate simulates them five times), maxPointRate its
	// highest rate in requests per second: published runs send hundreds to
	// a few thousand prompts at up to tens of requests a second.
	maxPointPrompts = 100000
	maxPointRate    = 10000
	// minPointRate is one request every 1,000 s, and maxOpenSpanS a week of
	// arrivals (num-prompts over the rate): slower is a unit slip, and a
	// longer run would overflow the simulated clock's horizon.
	minPointRate = 1e-3
	maxOpenSpanS = 7 * 24 * 3600
)

// MinWindowS and MaxWindowS bound a closed loop's measurement window in
// seconds (the window_s column, validate --window): benchmark tools measure
// over seconds to minutes (perf_analyzer's measurement interval is 5 s by
// default), so a window under a second holds no request lifetime worth
// scoring and one past a day is a unit slip (milliseconds written as
// seconds), which would also simulate for hours.
const (
	MinWindowS = 1
	MaxWindowS = 24 * 3600
)

// WindowAllowed says the range of a measurement window, for messages.
var WindowAllowed = fmt.Sprintf("%d s to %d s, a day", MinWindowS, MaxWindowS)

// validateWindow checks the window_s column: in range, and only on a
// closed loop, the one load measured over a window of its own (a static
// batch runs to its end; an open loop's prompt count bounds it).
func (pt ServingPoint) validateWindow() error {
	switch {
	case pt.WindowS == 0:
		return nil
	case pt.WindowS < MinWindowS || pt.WindowS > MaxWindowS:
		return fmt.Errorf("window_s: %g is out of range (allowed: %s)", pt.WindowS, WindowAllowed)
	case !pt.ClosedLoop():
		return errors.New("window_s: only a closed loop (metric_kind closed-loop concurrency=N) is measured over a window; leave the cell empty")
	}
	return nil
}

// The ranges of the loads metric_kind gives, stated once: the parser and
// Validate both say them, so that a row out of range is told the limit that
// binds whichever check meets it first (the parser had allowed concurrency
// up to 10,000,000 and a rate up to 1e6, and Validate then refused past
// 4096 and 10000).
var (
	concurrencyAllowed = fmt.Sprintf("1 to %d, the most sequences a replica batches", maxPointSeqs)
	promptsAllowed     = fmt.Sprintf("1 to %d", maxPointPrompts)
	rateAllowed        = fmt.Sprintf("%g to %d requests/s", minPointRate, maxPointRate)
)

// BoundedReader reads at most max bytes of r and then fails, saying the
// input is larger than that and why it may not be (why), where
// io.LimitReader would end the input quietly and a truncated file would read
// as a shorter one. Input exactly max bytes long reads to its end.
func BoundedReader(r io.Reader, max int64, why string) io.Reader {
	return &boundedReader{r: r, left: max, max: max, why: why}
}

type boundedReader struct {
	r         io.Reader
	left, max int64
	why       string
}

func (l *boundedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, err := l.r.Read(one[:]); n == 0 && err != nil {
			return 0, err // the input ended exactly at the bound
		}
		return 0, fmt.Errorf("larger than %d MiB: %s", l.max>>20, l.why)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// skipBOM drops a UTF-8 byte-order mark, which spreadsheet programs write at
// the start of a CSV they save: left in, it became part of the first
// column's name and the header "lacked" it.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}

// HeaderIndex maps each column of a CSV header (trimmed, in any case, a
// byte-order mark dropped) to its index, and fails naming the required
// columns it lacks, or a column named twice: which of the two a row's value
// came from would be a guess.
func HeaderIndex(header, required []string) (map[string]int, error) {
	if err := HeaderText(header, required); err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if j, dup := col[name]; dup && name != "" {
			return nil, fmt.Errorf("column %q appears twice in the header (columns %d and %d)", name, j+1, i+1)
		}
		col[name] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("header lacks column(s) %s", strings.Join(missing, ", "))
	}
	return col, nil
}

// HeaderText refuses a CSV header that is not text a CSV reader split
// into lines and cells as meant, saying why: a file saved as UTF-16 (Excel's
// "Unicode text"), whose header otherwise "lacked" every column, or one
// holding a carriage return (strayCR). required are the columns the reader
// needs, in lower case. HeaderIndex calls it; a reader matching its header
// otherwise (a trace's) calls it before refusing a header.
func HeaderText(header, required []string) error {
	if len(header) > 0 {
		if h := header[0]; strings.HasPrefix(h, "\xff\xfe") || strings.HasPrefix(h, "\xfe\xff") {
			return errors.New("it is UTF-16 text (a byte-order mark starts it, as in Excel's \"Unicode text\"): save it as CSV in UTF-8")
		}
	}
	return strayCR(header, required)
}

// strayCR refuses a header that holds a carriage return, saying what it
// found. encoding/csv ends lines at LF (or CRLF) only, so a file whose
// lines end with CR alone reads as one line: its header then holds every
// row, and its first line alone (up to the first CR) holds the required
// columns. Any other CR in a header is no line end of a table: every file
// that held one, a binary file among them, was said to have classic Mac
// line ends.
func strayCR(header, required []string) error {
	at := slices.IndexFunc(header, func(h string) bool { return strings.ContainsRune(h, '\r') })
	if at < 0 {
		return nil
	}
	first := map[string]bool{}
	for _, h := range append(slices.Clone(header[:at]), strings.SplitN(header[at], "\r", 2)[0]) {
		first[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = true
	}
	if !slices.ContainsFunc(required, func(c string) bool { return !first[c] }) {
		return errors.New("its lines end with a carriage return alone (classic Mac line ends), so it reads as one line: save it with LF or CRLF line ends")
	}
	crs, controls := 0, 0
	for _, h := range header {
		for _, c := range h {
			switch {
			case c == '\r':
				crs++
			case c != '\t' && unicode.IsControl(c):
				controls++
			}
		}
	}
	found := fmt.Sprintf("%d carriage return(s)", crs)
	if controls > 0 {
		found += fmt.Sprintf(" and %d other control byte(s)", controls)
	}
	return fmt.Errorf("the header holds %s, the first in column %d: is this a CSV file? (a CSV file is text, its lines ending with LF or CRLF)", found, at+1)
}

// UnreadColumns sorts the columns of a CSV header that a reader does not
// read (any but used, the columns whose absence changes what it does, and
// descriptive, those it reads as labels or that published files carry for
// people: a p99, a chip count, a framework version). One that looks like a misspelling of a used column fails the
// header, naming the column, its position and the name meant; the others
// are returned as ignored ("name (column N)"), for the reader to warn of.
// Empty names (a trailing comma) are neither, and so is a near miss of a
// column the header also has (ttft_s beside ttft_ms): nothing is left unset.
//
// A near miss is refused, not warned of: the column it meant is then absent,
// and the reader takes the absence as the default without a word, so
// "metric-kind" holding "closed-loop concurrency=8" simulated a static batch
// and validate compared it with a measurement of 8 clients. A warning would
// still print numbers for the wrong experiment; renaming a column costs
// less. A near miss is the same name once case, '-' and ' ' are read as '_'
// (metric-kind, Metric Kind), or, for a name of 6 or more letters, one 2
// typed slips away (a letter added, dropped, changed, or two swapped). A
// shorter name takes no slip: the neighbours of stat or tp (state, id) are
// more likely columns of their own, and refusing one would refuse a file.
func UnreadColumns(header, used, descriptive []string) (ignored []string, err error) {
	known, present := map[string]bool{}, map[string]bool{}
	for _, c := range append(append([]string(nil), used...), descriptive...) {
		known[c] = true
	}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		present[names[i]] = true
	}
	for i, name := range names {
		if name == "" || known[name] || strings.ContainsRune(name, '\r') { // HeaderIndex names a CR
			continue
		}
		h := strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
		norm := strings.NewReplacer("-", "_", " ", "_").Replace(name)
		for _, u := range used {
			if !present[u] && (norm == u || editDistance(norm, u) <= nearMissEdits(u)) {
				return nil, fmt.Errorf("column %d %q: did you mean %s? (a column aiecon does not read is ignored, so a misspelled one would leave %s unset)", i+1, h, u, u)
			}
		}
		ignored = append(ignored, fmt.Sprintf("%s (column %d)", h, i+1))
	}
	return ignored, nil
}

// nearMissEdits is how many edits from the column name u a header name may
// be and still be taken for a misspelling of it (see UnreadColumns).
func nearMissEdits(u string) int {
	if len(u) >= 6 {
		return 2
	}
	return 0
}

// editDistance is the optimal-string-alignment distance between a and b:
// the fewest single-byte insertions, deletions, substitutions and swaps of
// adjacent bytes that turn one into the other.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
