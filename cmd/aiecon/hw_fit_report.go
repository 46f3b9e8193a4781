package main

// hw fit's report: the fits printed, and what a fit could not learn (a
// family with no row to fit, constants no row exercises, which --save
// refuses).

import (
	"fmt"
	"slices"
	"strings"

	"aiecon/hw"
)

func printFits(e *env, asJSON bool, out []fitResult) error {
	if asJSON {
		return writeJSON(e.stdout, out)
	}
	return printEach(e.stdout, out, printFit)
}

// nothingFitted says why a family had no row to learn from, naming each
// row (file:line) with its reason: skipped, or not fitted because its
// throughput contradicts its latencies.
func nothingFitted(fam string, rep hw.FitReport) string {
	why := "every row was skipped"
	switch {
	case len(rep.Unfitted) > 0 && len(rep.Skipped) == 0:
		why = "every row's throughput contradicts its latencies"
	case len(rep.Unfitted) > 0:
		why = "every row was skipped or its throughput contradicts its latencies"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "family %s: %s, nothing fitted\n", fam, why)
	for _, sk := range rep.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s\n", sk.Point.Where(), sk.Reason)
	}
	for _, sk := range rep.Unfitted {
		fmt.Fprintf(&b, "not fitted %s: %s\n", sk.Point.Where(), sk.Reason)
	}
	return b.String()
}

// refuseUnexercised refuses to save constants no row exercised: the fit
// held them at the committed values, which were fitted together with the
// committed values of the others, and a profile has no way to say which of
// its constants a fit set, so it would present them as fitted to these rows.
func refuseUnexercised(fits []fitResult) error {
	var errs []string
	for _, r := range fits {
		if names := r.Report.Unexercised; len(names) > 0 {
			errs = append(errs, fmt.Sprintf("family %s: no row exercises %s (%s)",
				r.Report.Family, strings.Join(names, ", "), whatExercises(names)))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return badInput("--save: %s: the fit held each at its committed value, and a saved profile would present it as fitted "+
		"to these rows; add rows that exercise it, or fit without --save. Nothing was saved", strings.Join(errs, "; "))
}

// whatExercises says what kind of row exercises each of the constants
// (hw.ExercisedBy).
func whatExercises(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		w := "a row whose time depends on it"
		if j := slices.IndexFunc(hw.ExercisedBy, func(c struct{ Name, Row string }) bool { return c.Name == n }); j >= 0 {
			w = hw.ExercisedBy[j].Row
		}
		out[i] = n + " needs " + w
	}
	return strings.Join(out, "; ")
}

// unexercisable names the constants some rows leave unexercised.
func unexercisable() []string {
	var names []string
	for _, c := range hw.ExercisedBy {
		names = append(names, c.Name)
	}
	return names
}
