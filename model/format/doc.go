// Package format is the one place numbers become text: money, durations,
// counts, percentages and values in a KPI's unit, for the CLI, the
// dashboard, study reports and chart labels alike. It imports nothing of
// ours, so every package may use it.
//
// Two precisions share one set of rules. The report forms (USD, Seconds,
// Pct, Count, Num) suit lines of text: cents, thousands separators. The
// compact forms (USDCompact, SecondsCompact, PctCompact, CountCompact, Sig)
// suit table cells and chart labels: three significant digits and SI
// suffixes (1.23M). In both, an undefined value (NaN or an infinity, e.g. a
// percentile of nothing) is Undefined, zero has no decimals ("$0", "0%"),
// and a negative amount starts with an ASCII minus ("-$27.12").
//
// Files:
//   - number.go: Undefined, Sig, Short (Sig in a sentence), Sig4
//     (statistics), Num, Count,
//     CountCompact, AvgCount and the thousands separator; Change and
//     RelChange, the absolute and relative changes against a baseline
//     (none relative across zero or from next to it).
//   - exact.go: Exact and ExactPer, a number in the fewest digits that read
//     back as it (in a unit of it, for ExactPer), for text that is read
//     again: the resolved scenario a run stores.
//   - money.go: USD, USDCompact.
//   - time.go: Seconds, SecondsShort, SecondsCompact, Wall.
//   - unit.go: Pct, PctCompact, and Unit / UnitCompact, which pick the form
//     for a KPI's unit.
package format
