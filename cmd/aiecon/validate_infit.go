package main

import (
	"fmt"

	"aiecon/hw"
	"aiecon/runner"
)

// inFitRows marks each of rep's rows that is one of the measurements the
// committed constants of its family were fitted to (hw.InCommittedFit), by
// its index in rep.Rows: its error under them is in sample, a check of
// the fit rather than of the model's predictions. Validate printed the two
// Trainium2 rows the neuron-v3 constants were fitted to (four constants,
// four numbers) at 1-2% TPOT, which read as the model's error on the chip.
// A row whose family the run's calibration profile prices with constants
// of its own is not marked: those were fitted to whatever the profile's
// fit saw, which validate cannot tell.
func inFitRows(rep *runner.ValidationReport) []bool {
	out := make([]bool, len(rep.Rows))
	var prof *hw.Profile
	if rep.Calibration != hw.BuiltinProfileSource && rep.Calibration != "" {
		p, err := hw.LoadProfile(rep.Calibration)
		if err != nil {
			return out // the profile's constants cannot be told apart: mark nothing
		}
		prof = p
	}
	for i, r := range rep.Rows {
		fam, ok := hw.InCommittedFit(r.Point)
		if !ok {
			continue
		}
		if prof != nil {
			if _, own := prof.ServingFor(fam); own {
				continue
			}
		}
		out[i] = true
	}
	return out
}

// groupInFit is how many of group g's rows are in fit (inFitRows), of how
// many it has.
func groupInFit(rep *runner.ValidationReport, in []bool, g runner.ValidationGroup) (n, of int) {
	for i, r := range rep.Rows {
		p := r.Point
		model := p.Model // a group is named by the catalog model its rows were read as (hw.CVGroup)
		if a, err := p.Arch(); err == nil {
			model = a.Name
		}
		if p.Instance == g.Instance && model == g.Model && p.TP == g.TP && string(p.WeightDType) == g.WeightDType {
			of++
			if in[i] {
				n++
			}
		}
	}
	return n, of
}

// inFitCell marks a group's row count: "2 (in fit)" where every row was
// fitted to, "12 (3 in fit)" where some were.
func inFitCell(rows, n int) string {
	switch {
	case n == 0:
		return fmt.Sprint(rows)
	case n == rows:
		return fmt.Sprintf("%d (in fit)", rows)
	}
	return fmt.Sprintf("%d (%d in fit)", rows, n)
}

// inFitHeader is what the header line says of the rows in fit: "; 2 of 3
// rows (67%) in the committed constants' fit: their errors are in sample",
// "" where none is.
func inFitHeader(in []bool) string {
	n := 0
	for _, b := range in {
		if b {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d of %d (%.0f%%) in the committed constants' fit: their errors, marked (in fit), are in sample, not predictions",
		n, len(in), 100*float64(n)/float64(len(in)))
}
