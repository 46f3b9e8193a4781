package data

// schemaViews is the digest (viewDigest) of each view of the migrated
// schema as DuckDB renders it: what Open compares a store's views with, to
// warn of one redefined. It is written out, as schemaTables is, because
// migrating an in-memory store at every open took 0.35 s;
// TestSchemaViews keeps it equal to the migrations (a migration that
// replaces a view, or a DuckDB that renders views otherwise, fails it).
var schemaViews = map[string]string{
	"run_summary":    "65cc213c892e3f79",
	"requests_v":     "70315750c121c15b",
	"windows_v":      "0243ecced26e23a6",
	"sweep_results":  "ce5c4ee05dd73bae",
	"forecast_bands": "932a06a54bbfd85c",
}
