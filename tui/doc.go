// Package tui is the Bubble Tea dashboard: browse runs and sweeps, open one
// run, compare runs, query with SQL and launch new runs with live progress.
// Every database query and simulation runs in a tea.Cmd, never in Update.
package tui
