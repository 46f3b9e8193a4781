// Package engine is a small, fast discrete-event engine: simulated time in
// int64 nanoseconds, a hand-written 4-ary heap of events ordered by (time,
// insertion sequence), cancel and reschedule in O(log n), no allocation per
// event, runs bounded by a horizon or a context, progress callbacks, and named
// random streams derived from (seed, name) so components do not perturb each
// other's draws.
package engine
