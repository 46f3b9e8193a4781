// Package caveat holds the warnings aiecon run, sweep and optimize print
// beside their figures that the dashboard shows too: COMMERCE COUNTED
// GROSS, SESSIONS ABANDONED, PRICED BELOW COST, PRICE NOT JUDGED, SCHEDULERS DIFFER and, over a sweep's points,
// run's step-times coverage warnings (THINLY FITTED, BY TRANSFER, AN
// ESTIMATE). They lived with the CLI's report, which the dashboard may not
// import (internal/layering), so its sweep screen showed none of them while
// aiecon sweep and optimize printed them for the same runs; one copy here
// keeps the two in the same words, on the same thresholds. So does the
// one report line they share, the abandoned calls of run's ECONOMICS
// (streamed.go), which show and the run screen print from the stored
// KPIs.
//
// Sweep tallies them over the runs a sweep's summary counts: the overload
// check (study.OverloadCheck) visits each such run with its point's
// scenario, and a tally rides on it.
package caveat
