package kpi

// What only kpi's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"aiecon/model/format"
)

// Compact prints a value of the KPI with its unit for a cell or a label.
func (d Def) Compact(v float64) string { return format.UnitCompact(v, d.Unit) }
