// Package kpi is the catalog of the KPIs a run reports: each one's name
// (the key stored in DuckDB and named in sweep files), unit, human label,
// which direction is better for the business, and how its values print.
// The simulator emits KPIs by these names, and the CLI, the dashboard,
// studies and charts read labels, directions and formats from here, so a
// KPI is described once. It imports only model/format.
//
// Files:
//   - kpi.go: Def, Direction, Lookup, All, the formatting of a value, and
//     ModelScope: the scope of a model's KPIs in a model mix, and
//     SaturatedOccupancy, the batch occupancy read as overloaded, and
//     DefaultSLOTarget, the SLO attainment held to by default.
//   - names.go: the name constants.
//   - catalog.go: the catalog itself, one row per KPI.
package kpi
