// Package optimize is the fleet optimizer: for a scenario's traffic and
// SLOs it searches instance type x TP degree x max_num_seqs x instance count
// for the cheapest fleet (or the most profitable) whose SLO attainment meets
// a target for every workload with an SLO. It is a client of package study:
// each round's evaluations are appended as points to one stored sweep whose
// frozen specification zips exactly the evaluated layouts, executed and
// summarised by study, so `aiecon sweep --show` reads it like any sweep.
//
// Files:
//   - optimize.go: Options, the result types (Layout, Candidate, Eval,
//     Round, Result), Run and the optimizer's set-up.
//   - candidates.go: the candidate layouts, pruned before anything runs when
//     they cannot hold the model or have no price, and the scenario
//     overrides that turn a layout and a count into a point.
//   - search.go: each candidate's instance count found by doubling and
//     bisection, in rounds whose choices do not depend on the number of
//     workers; evaluate runs a round through study.
//   - extrapolation.go: Rivals, the candidates rejected where they would
//     otherwise have been chosen, whose extrapolated step times
//     (Candidate.Extrapolated) the choice then rests on.
package optimize
