package tui

// What only tui's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"aiecon/data"
)

// formatValue is formatCell for a column of type typ.
func formatValue(v any, typ string) string {
	return formatCell(v, data.ParseColumnType(typ), typ)
}

// cells is a row of plain cells.
func cells(texts ...string) []cell {
	out := make([]cell, len(texts))
	for i, t := range texts {
		out[i] = cell{text: t}
	}
	return out
}
