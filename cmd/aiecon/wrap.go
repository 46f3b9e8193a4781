package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// The text reports (run's, show's, their WARNING blocks) wrap their prose
// to a width: lines of 300 characters and more (cost per Mtok, batch
// occupancy, the warnings' paragraphs) were hard to scan in a terminal,
// while the step-times line already wrapped under its label. Tables are
// never wrapped: a row broken in two misaligns its columns.

// defaultReportWidth is the width a report wraps to where stdout is not a
// terminal (a file, a pipe) and --width is not given.
const defaultReportWidth = 100

// minWrapText is the narrowest a wrapped text gets, however narrow the
// width: below it a label column would leave a word or two a line.
const minWrapText = 20

// widthFlagUsage is --width's help, one for every command that has it.
const widthFlagUsage = "wrap the report's text at `N` columns, tables apart (0: no wrapping, one line per item, for scripts; default: the terminal's width, or 100 where stdout is not a terminal)"

// widthFlag is --width: the columns a report wraps to, unset until given
// (its help shows no default: the default is the terminal's width).
type widthFlag struct {
	n   int
	set bool
}

func (w *widthFlag) String() string {
	if !w.set {
		return ""
	}
	return strconv.Itoa(w.n)
}

func (w *widthFlag) Type() string { return "columns" }

func (w *widthFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return errors.New("want a number of columns, 0 or more (0: no wrapping)")
	}
	w.n, w.set = n, true
	return nil
}

// addWidthFlag adds --width to a command that prints a text report.
func addWidthFlag(cmd *cobra.Command, v *widthFlag) {
	cmd.Flags().Var(v, "width", widthFlagUsage)
}

// reportWidth is the width a report wraps to: --width where given, else
// the terminal's width where stdout is one, else defaultReportWidth.
func reportWidth(e *env, flag widthFlag) int { return streamWidth(e.stdout, flag) }

// streamWidth is reportWidth for text written to out: compare's warnings
// go to stderr, whose terminal, not stdout's, they are read in.
func streamWidth(out io.Writer, flag widthFlag) int {
	if flag.set {
		return flag.n
	}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return defaultReportWidth
}

// wrapWriter is a report section's writer: lines of the form
// "  label\ttext" get their labels padded to one column, as a tabwriter
// with a padding of 2 pads them, over each run of such lines, and their
// texts wrapped (wrapPhrases) to the width left beside that column, the
// continuation lines under the text so that the labels stand alone at the
// left; a line without a tab is wrapped with a hanging indent of 2 more
// than its own. Nothing is written until Flush. A width of 0 wraps
// nothing.
type wrapWriter struct {
	out   io.Writer
	width int
	buf   bytes.Buffer
}

func newWrapWriter(out io.Writer, width int) *wrapWriter { return &wrapWriter{out: out, width: width} }

func (w *wrapWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }

// Flush writes what was written to w, padded and wrapped.
func (w *wrapWriter) Flush() error {
	s := w.buf.String()
	w.buf.Reset()
	if s == "" {
		return nil
	}
	end := ""
	if strings.HasSuffix(s, "\n") {
		s, end = s[:len(s)-1], "\n"
	}
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i := 0; i < len(lines); {
		j := i
		col := 0
		for ; j < len(lines) && strings.Contains(lines[j], "\t"); j++ {
			label, _, _ := strings.Cut(lines[j], "\t")
			col = max(col, utf8.RuneCountInString(label)+2)
		}
		if j == i { // a line of prose, no label
			b.WriteString(wrapHanging(lines[i], w.width))
			i++
			continue
		}
		for _, l := range lines[i:j] {
			label, text, _ := strings.Cut(l, "\t")
			b.WriteString(wrapLabeled(label, col, text, w.width))
		}
		i = j
	}
	_, err := io.WriteString(w.out, strings.TrimSuffix(b.String(), "\n")+end)
	return err
}

// wrapLabeled is label padded to col cells, then text wrapped to the
// width left (width 0: not wrapped), each continuation line indented col
// cells; every line ends in a newline.
func wrapLabeled(label string, col int, text string, width int) string {
	pad := strings.Repeat(" ", max(col-utf8.RuneCountInString(label), 0))
	if strings.TrimSpace(text) == "" {
		return strings.TrimRight(label+pad+text, " ") + "\n"
	}
	lines := []string{text}
	if width > 0 {
		lines = wrapPhrases(text, max(width-col, minWrapText))
	}
	indent := strings.Repeat(" ", col)
	return label + pad + strings.Join(lines, "\n"+indent) + "\n"
}

// wrapHanging is line wrapped to width (0: not wrapped), its continuation
// lines indented 2 more than its own leading spaces, so that the item it
// starts ("  note:", "  SESSIONS ABANDONED:") stays visible; it ends in a
// newline. A line that fits is unchanged.
func wrapHanging(line string, width int) string {
	if width <= 0 || utf8.RuneCountInString(line) <= width || strings.TrimSpace(line) == "" {
		return line + "\n"
	}
	text := strings.TrimLeft(line, " ")
	n := len(line) - len(text)
	hang := strings.Repeat(" ", n+2)
	lines := wrapPhrases(text, max(width-n-2, minWrapText))
	return strings.Repeat(" ", n) + strings.Join(lines, "\n"+hang) + "\n"
}

// fprintWrapped writes format's lines to out as wrapWriter does (a line of
// prose with a hanging indent).
func fprintWrapped(out io.Writer, width int, format string, a ...any) error {
	w := newWrapWriter(out, width)
	fmt.Fprintf(w, format, a...)
	return w.Flush()
}

// wrappedProse writes a paragraph and its newline as fprintWrapped does:
// the prose hook of the reports other packages print (a sweep's notes
// under its table, a forecast's notes), wrapped here as every report is.
func wrappedProse(width int) func(io.Writer, string) error {
	return func(w io.Writer, p string) error { return fprintWrapped(w, width, "%s\n", p) }
}
