// Package chart draws the charts of `aiecon plot`: latency distributions,
// time series and revenue and cost bars of stored runs, one run or several
// overlaid, as PNG or SVG images made with gonum/plot.
//
// Render reads what a chart needs from the DuckDB store (data.Store): the
// run registry and KPIs, the time-series windows, and for latency CDFs
// quantiles that DuckDB computes over the run's stored requests, so no chart
// loads every request into memory. The result is a Chart: a title naming the
// runs and their scenario, one or more panels sharing a time axis, and a
// legend beside each panel. Chart.Save writes it by file extension.
//
// Files:
//   - kinds.go: the catalog of chart kinds (Kinds) and Render
//   - runs.go: what a chart knows of a run, its labels and the titles
//   - cdf.go: latency CDFs from DuckDB quantiles
//   - series.go: time series from the windows table
//   - bars.go: KPI bar charts (revenue and cost by line, cost per Mtok)
//   - forecast.go: a stored forecast's fan chart (RenderForecast, --kind forecast)
//   - style.go: palette, fonts and line styles scaled to the image size
//   - ticks.go: round-step linear ticks (3 to 8 labels) and log ticks that
//     label 2 and 5 times powers of ten when an axis spans few decades
//   - layout.go: Chart and how it draws (title, aligned panels, legends)
//   - encode.go: image formats, sizes and writing files
package chart
