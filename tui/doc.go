// Package tui is the Bubble Tea dashboard: browse runs and sweeps, open one
// run, compare runs, query with SQL and launch new runs with live progress.
// Every database query and simulation runs in a tea.Cmd, never in Update.
// docs/tui.md is the user's guide.
//
// Files:
//   - app.go: App, the root model: the stack of screens, message routing,
//     the global keys and the palette's actions; app_view.go draws its
//     frame (header, banners, footer with key hints, the overlays) and
//     app_help.go the help overlay's lines and keys.
//   - screen.go: the screen interface, the state screens share, Options.
//   - screen_runs.go: the runs list (filter, sort, mark, open, compare),
//     sweeps and forecasts folded, and the empty and missing-store states;
//     runs_labels.go the labels of sweeps, forecasts and their runs
//     (compact in the table, in full on the status line).
//   - screen_run.go: one run: its tabs, workloads, replicas and all KPIs;
//     run_overview.go the KPI cards, charts, setup line and run's abandoned
//     calls line; run_warnings.go the warnings aiecon show prints for it
//     (i); run_models.go a model mix's MODELS table and the model of each
//     replica.
//   - setup.go: what a run served on what (model, instances, TP, scheduler,
//     step-time source), read from the scenario stored with it.
//   - requests.go: the Requests tab's filter and sort, run in SQL.
//   - run_output.go: writing a run's tables (export) or a chart (plot) to a
//     file from its screen, and homePath, the ~ of every path field.
//   - screen_compare.go: runs side by side with deltas against a baseline;
//     screen_compare_warnings.go their warnings, OVERLOADED first.
//   - screen_sweep.go: the sweeps and one sweep's points table;
//     sweep_heatmap.go its heatmap, sweep_pool.go reading and pooling the
//     runs' KPIs and latency sketches into a point's figures,
//     sweep_overload.go the overload check of its runs, sweep_scope.go
//     the scope of its SLO and latency columns and its OVERLOADED marks,
//     sweep_slice.go what a heatmap cell averages over,
//     sweep_paired.go the points' paired differences from one (d),
//     sweep_warnings.go the CLI's warnings for its runs (i).
//   - screen_launch.go: launching a run or sweep with progress and cancel.
//   - launch_variants.go: the scenarios' variants in the Launch chooser.
//   - screen_sql.go, pager.go: the SQL console and its paged results.
//   - sql_assist.go: the console's query history and name completion.
//   - palette.go: the command line (:) and its commands.
//   - conn.go: access to the store file, opened only while a query needs it.
//   - queries.go: the few reads the data package does not offer.
//   - live.go: the sink that feeds a launched run's progress to its screen.
//   - kpi.go: headline KPIs, delta tones and arrows (labels and directions
//     are model/kpi's catalog).
//   - format.go: numbers (model/format's compact forms), deltas, times, ids.
//   - chart.go: charts over simulated time from a run's windows, with time
//     axes labelled at round times.
//   - table.go, widgets.go, input.go, styles.go: the grid, panels, text
//     fields and the palette of colours every screen uses.
//   - params.go: a sweep point's parameters in the sweep's order.
package tui
