package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"aiecon/study/forecast"
)

// TestForecastJSONFieldsDocumented: every top-level field of forecast
// --json is named in docs/forecast.md, in backquotes (`period_hours`,
// which the TRAINING line's retrains a period rest on, was not).
func TestForecastJSONFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	rt := reflect.TypeFor[forecast.Report]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if !regexp.MustCompile("`\"?" + regexp.QuoteMeta(name) + "\"?[`:]").Match(doc) {
			t.Errorf("docs/forecast.md does not name the --json field %s", name)
		}
	}
}
