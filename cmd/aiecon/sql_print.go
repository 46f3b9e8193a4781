package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// tableBlock is how many rows the table format holds to size its columns;
// rows after them are printed as they come, padded to those widths (a longer
// cell pushes the rest of its line right).
const tableBlock = 1000

// cellSpaces keeps a table cell on its line.
var cellSpaces = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// tablePrinter aligns columns like tabwriter, but over the first tableBlock
// rows only, so that --all on millions of rows holds a thousand.
type tablePrinter struct {
	out    io.Writer
	cols   []string
	held   [][]string
	widths []int // nil until the first block is printed
}

func (t *tablePrinter) row(vals []any) error {
	cells := make([]string, len(vals))
	for i, v := range vals {
		cells[i] = cellSpaces.Replace(textValue(v, "NULL"))
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
	if more {
		_, err := fmt.Fprintf(t.out, "(first %d row%s shown, the result has more: --limit N or --all for more)\n", n, plural)
		return err
	}
	_, err := fmt.Fprintf(t.out, "(%d row%s)\n", n, plural)
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
		b.Write(jsonValue(vals[i]))
	}
	b.WriteString("}")
	j.n++
	_, err := j.out.Write(b.Bytes())
	return err
}

func (j *jsonPrinter) end(int, bool) error {
	s := "\n]\n"
	if j.n == 0 {
		s = "[]\n"
	}
	_, err := io.WriteString(j.out, s)
	return err
}
