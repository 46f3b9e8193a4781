// Package golden holds only a test: it digests what aiecon computes (every
// built-in scenario and variant, a small sweep, and validate on the
// published serving points) and compares the digests with those committed in
// testdata/digests.txt, so a refactoring that is meant to change no behaviour
// proves it. A change that is meant to move the numbers updates the file with
//
//	go test ./internal/golden -update
//
// and says why in its commit message. catalog_test.go checks, on the same
// built-ins, that the simulator emits exactly the KPIs of the catalog
// (model/kpi).
package golden
