package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// fitTable renders a table of head's lines then body's rows, each row's
// name in its first cell, aligned two spaces apart as tabwriter does. A
// table of one figure column that is still wider than width (0: any) is
// stacked (stackedTable): the lines' names alone take 38 columns, so at
// --width 40 no figure fit beside the longest, and a table never wraps.
// Wider tables are split into such columns first (fitBlocks).
func fitTable(head, body [][]string, width int) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, row := range append(append([][]string{}, head...), body...) {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	plain := b.String()
	if width <= 0 || tableWidth(plain) <= width || !oneFigure(head, body) {
		return plain
	}
	return stackedTable(head, body, width)
}

// oneFigure says whether every line of the table has a name and one
// figure (or header label) cell: the tables stackedTable lays out.
func oneFigure(head, body [][]string) bool {
	for _, row := range append(append([][]string{}, head...), body...) {
		if len(row) != 2 {
			return false
		}
	}
	return len(body) > 0
}

// stackedTable lays out a table of one figure column in width where the
// names and the figures do not fit side by side: the figures start where
// they fit beside the names that leave room (two spaces after the longest
// of those), and a longer name stands on a line of its own with its figure
// under it, in the same column; the names are not abbreviated, since a
// reader (and a script) matches them to the store's metric names. The
// header's title stands on its own line where it does not fit before the
// figures, and its labels (a variant, a forecast's name and id, "vs ...")
// go over the figures where they fit there, else indented two spaces
// under the title, which no line's name is. What is longer than width on
// its own (a forecast's name, a figure) is printed whole.
func stackedTable(head, body [][]string, width int) string {
	runes := utf8.RuneCountInString
	figW, labelW := 0, 0
	for _, row := range body {
		figW = max(figW, runes(row[1]))
	}
	for _, row := range head {
		labelW = max(labelW, runes(row[1]))
	}
	room := width - 2 - figW // the longest name that leaves its figure room
	at := 0                  // where the figures start
	for _, row := range body {
		if n := runes(row[0]); n <= room {
			at = max(at, n+2)
		}
	}
	at = max(at, 2)
	var b strings.Builder
	line := func(left string, col int, right string) {
		if right == "" {
			b.WriteString(strings.TrimRight(left, " ") + "\n")
			return
		}
		b.WriteString(left + strings.Repeat(" ", max(col-runes(left), 0)) + right + "\n")
	}
	labelsAt := at
	if at+labelW > width {
		labelsAt = 2
	}
	for _, row := range head {
		title, label := row[0], row[1]
		if title != "" && (labelsAt != at || runes(title)+2 > at) {
			line(title, 0, "")
			title = ""
		}
		if title != "" || label != "" {
			line(title, labelsAt, label)
		}
	}
	for _, row := range body {
		name := row[0]
		if runes(name)+2 > at {
			line(name, 0, "")
			name = ""
		}
		line(name, at, row[1])
	}
	return b.String()
}
