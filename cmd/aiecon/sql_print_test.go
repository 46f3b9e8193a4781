package main

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTableCutsLongCells: the table shows a long value's first maxCellRunes
// runes and says, under the table, that csv and json print it whole; a
// value of a gigabyte was printed whole, in minutes and five times its size
// in memory.
func TestTableCutsLongCells(t *testing.T) {
	long := strings.Repeat("é", maxCellRunes) + "\tand more"
	bin := append([]byte{0xff}, bytes.Repeat([]byte("a"), 300)...)
	var out bytes.Buffer
	p := newTablePrinter(&out, []string{"a", "b", "c", "d", "e"})
	vals := []any{long, []byte(long), bin, strings.Repeat("x", maxCellRunes), []byte{0xff, 1}}
	if err := p.row(vals); err != nil {
		t.Fatal(err)
	}
	if err := p.end(1, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	cut := strings.Repeat("é", maxCellRunes) + "…"
	hexCut := `\xff` + strings.Repeat("61", (maxCellRunes-2)/2-1) + "…"
	want := cut + "  " + cut + "  " + hexCut + "  " + strings.Repeat("x", maxCellRunes) + `  \xff01`
	if len(lines) != 5 || lines[1] != want {
		t.Fatalf("table:\n%s\nwant the row\n%s", out.String(), want)
	}
	if utf8.RuneCountInString(hexCut) != maxCellRunes+1 {
		t.Errorf("the hex cell is %d runes, want %d", utf8.RuneCountInString(hexCut), maxCellRunes+1)
	}
	if lines[2] != "(1 row)" || !strings.Contains(lines[3], "cut at …; --format csv or --format json prints them whole") {
		t.Errorf("the note under the table:\n%s", out.String())
	}

	// Values that fit are whole, and no note is printed.
	out.Reset()
	p = newTablePrinter(&out, []string{"x"})
	if p.row([]any{"a\tb"}) != nil || p.end(1, false) != nil || out.String() != "x\na b\n(1 row)\n" {
		t.Errorf("a short cell: %q", out.String())
	}
}

// TestJSONStreamsLongText: a text longer than jsonChunk is written in
// pieces (not encoded whole, which held it four times over) and reads back
// as the same value, with runes and escapes across the pieces' seams.
func TestJSONStreamsLongText(t *testing.T) {
	long := strings.Repeat("ab<é\n\u2028\"", jsonChunk/3) + "\xff end"
	var out bytes.Buffer
	p := &jsonPrinter{out: &out, cols: []string{"s", "b", "n"}}
	if err := p.row([]any{long, []byte(long[:len(long)-5]), 1}); err != nil {
		t.Fatal(err)
	}
	if err := p.end(1, false); err != nil {
		t.Fatal(err)
	}
	want := "[\n  {\"s\": " + string(jsonValue(long)) + ", \"b\": " + string(jsonValue([]byte(long[:len(long)-5]))) + ", \"n\": 1}\n]\n"
	if out.String() != want {
		t.Errorf("streamed json differs from the value encoded whole (%d bytes, want %d)", out.Len(), len(want))
	}
}

// TestJSONLongTextMemory: printing a long text allocates a fraction of its
// size; encoding it whole allocated about four times its size.
func TestJSONLongTextMemory(t *testing.T) {
	long := strings.Repeat("x", 8<<20)
	p := &jsonPrinter{out: io.Discard, cols: []string{"s"}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := p.row([]any{long}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(len(long))/4 {
		t.Errorf("printing a text of %d bytes allocated %d bytes", len(long), got)
	}
}
