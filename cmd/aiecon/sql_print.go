package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"aiecon/data"
	"aiecon/model/format"
)

// tableBlock is how many rows the table format holds to size its columns;
// rows after them are printed as they come, padded to those widths (a longer
// cell pushes the rest of its line right).
const tableBlock = 1000

// cellSpaces keeps a table cell on its line; format.Visible then shows the
// other control characters, which would reach the terminal raw.
var cellSpaces = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// maxCellRunes is the most of a value a table cell shows: a table is for
// reading, and a value of a gigabyte printed whole took minutes and five
// times its size in memory. csv and json print values whole (without
// --write, those up to maxPrintedValueBytes: sql_bound.go).
const maxCellRunes = 256

// tablePrinter aligns columns like tabwriter, but over the first tableBlock
// rows only, so that --all on millions of rows holds a thousand.
type tablePrinter struct {
	out    io.Writer
	cols   []string
	held   [][]string
	widths []int // nil until the first block is printed
	cut    bool  // some cell was cut at maxCellRunes
}

func newTablePrinter(out io.Writer, cols []string) *tablePrinter {
	t := &tablePrinter{out: out, cols: make([]string, len(cols))}
	for i, c := range cols {
		t.cols[i] = t.cell(c)
	}
	return t
}

func (t *tablePrinter) row(vals []any) error {
	cells := make([]string, len(vals))
	for i, v := range vals {
		cells[i] = t.cell(v)
	}
	if t.widths != nil {
		return t.line(cells)
	}
	t.held = append(t.held, cells)
	if len(t.held) == tableBlock {
		return t.flush()
	}
	return nil
}

// flush fixes the column widths from the header and the rows held, and prints them.
func (t *tablePrinter) flush() error {
	t.widths = make([]int, len(t.cols))
	for _, r := range append([][]string{t.cols}, t.held...) {
		for i, c := range r {
			t.widths[i] = max(t.widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range append([][]string{t.cols}, t.held...) {
		if err := t.line(r); err != nil {
			return err
		}
	}
	t.held = nil
	return nil
}

func (t *tablePrinter) line(cells []string) error {
	var b strings.Builder
	for i, c := range cells {
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(strings.Repeat(" ", max(t.widths[i]-utf8.RuneCountInString(c), 0)+2))
		}
	}
	b.WriteByte('\n')
	_, err := io.WriteString(t.out, b.String())
	return err
}

// cell is v's text for the table, on one line and cut at maxCellRunes
// runes with "…". Text and bytes are cut before anything copies them:
// only the part shown is converted or has its spaces replaced.
func (t *tablePrinter) cell(v any) string {
	switch x := v.(type) {
	case string:
		return t.cutText(x)
	case []byte:
		if !utf8.Valid(x) { // printed in hex, two digits a byte after "\x"
			if n := (maxCellRunes - 2) / 2; len(x) > n {
				t.cut = true
				return fmt.Sprintf("\\x%x…", x[:n])
			}
			return textValue(x, "")
		}
		// Enough bytes for maxCellRunes runes and one more, which tells a
		// cut value from one that ends there.
		return t.cutText(string(x[:min(len(x), utf8.UTFMax*(maxCellRunes+1))]))
	}
	return t.cutText(textValue(v, "NULL"))
}

// cutText cuts s after maxCellRunes runes and puts it on one line.
func (t *tablePrinter) cutText(s string) string {
	s, cut := format.CutRunes(s, maxCellRunes)
	t.cut = t.cut || cut
	return format.Visible(cellSpaces.Replace(s))
}

func (t *tablePrinter) end(n int, more bool) error {
	if t.widths == nil {
		if err := t.flush(); err != nil {
			return err
		}
	}
	plural := "s"
	if n == 1 {
		plural = ""
	}
	var err error
	if more {
		_, err = fmt.Fprintf(t.out, "(first %d row%s shown, the result has more: --limit N or --all for more)\n", n, plural)
	} else {
		_, err = fmt.Fprintf(t.out, "(%d row%s)\n", n, plural)
	}
	if err == nil && t.cut {
		_, err = fmt.Fprintf(t.out, "(cells longer than %d characters were cut at …; --format csv or --format json prints them whole)\n", maxCellRunes)
	}
	return err
}

type csvPrinter struct {
	w     *csv.Writer
	cells []string
}

func newCSVPrinter(out io.Writer, cols []string) *csvPrinter {
	w := csv.NewWriter(out)
	_ = w.Write(cols)
	return &csvPrinter{w: w, cells: make([]string, len(cols))}
}

func (c *csvPrinter) row(vals []any) error {
	for i, v := range vals {
		c.cells[i] = textValue(v, "")
	}
	if err := c.w.Write(c.cells); err != nil {
		return err
	}
	return nil
}

func (c *csvPrinter) end(int, bool) error {
	c.w.Flush()
	return c.w.Error()
}

type jsonPrinter struct {
	out  io.Writer
	cols []string
	n    int
}

func (j *jsonPrinter) row(vals []any) error {
	var b bytes.Buffer
	if j.n == 0 {
		b.WriteString("[")
	} else {
		b.WriteString(",")
	}
	b.WriteString("\n  {")
	for i, c := range j.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(c)
		b.Write(k)
		b.WriteString(": ")
		if text, ok := longText(vals[i]); ok {
			if err := j.stream(&b, text); err != nil {
				return err
			}
			continue
		}
		b.Write(jsonValue(vals[i]))
	}
	b.WriteString("}")
	j.n++
	_, err := j.out.Write(b.Bytes())
	return err
}

// jsonChunk is how much of a long text json encodes at a time.
const jsonChunk = 64 << 10

// longText is v when it is text (a string, or bytes as data.BytesText
// writes them, as jsonValue does) longer than jsonChunk: json streams it
// rather than encode it whole, which held it four times over (the
// encoder's growing buffer, its copy, the row's).
func longText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, len(x) > jsonChunk
	case []byte:
		if len(x) > jsonChunk {
			return data.BytesText(x), true
		}
	}
	return "", false
}

// stream writes what b holds of the row, then text as a JSON string
// encoded jsonChunk bytes at a time, cut at the start of a rune so that
// each chunk encodes as it would within the whole.
// The encoder writes each chunk into one buffer, used again for the next.
func (j *jsonPrinter) stream(b *bytes.Buffer, text string) error {
	b.WriteByte('"')
	var enc bytes.Buffer
	e := json.NewEncoder(&enc) // escapes as json.Marshal does
	for len(text) > 0 {
		n := min(len(text), jsonChunk)
		for k := 0; k < utf8.UTFMax-1 && n < len(text) && !utf8.RuneStart(text[n]); k++ {
			n--
		}
		enc.Reset()
		if err := e.Encode(text[:n]); err != nil {
			return err
		}
		b.Write(enc.Bytes()[1 : enc.Len()-2]) // less its quotes and newline
		if _, err := j.out.Write(b.Bytes()); err != nil {
			return err
		}
		b.Reset()
		text = text[n:]
	}
	b.WriteByte('"')
	return nil
}

func (j *jsonPrinter) end(int, bool) error {
	s := "\n]\n"
	if j.n == 0 {
		s = "[]\n"
	}
	_, err := io.WriteString(j.out, s)
	return err
}
