package study

import (
	"strings"
	"testing"

	"aiecon/data"
)

// TestOriginErrorNamesTheBuilds: the refusal to resume names each other
// build with its runs, and the one to finish the sweep with.
func TestOriginErrorNamesTheBuilds(t *testing.T) {
	tests := []struct {
		runs   int
		others []data.SweepBuild
		want   string
	}{
		{3, []data.SweepBuild{{Version: "v1", Runs: 3}},
			"sweep s: its 3 complete runs were made by aiecon v1, not by this aiecon v2: "},
		{5, []data.SweepBuild{{Version: "v1", Runs: 3}, {Version: "", Runs: 1}},
			"sweep s: of its 5 complete runs, 3 were made by aiecon v1 and 1 by an aiecon that recorded no version, not by this aiecon v2: "},
	}
	for _, tt := range tests {
		err := &OriginError{SweepID: "s", Version: "v2", Runs: tt.runs, Others: tt.others}
		if got := err.Error(); !strings.HasPrefix(got, tt.want) || !strings.Contains(got, "finish it with aiecon v1") {
			t.Errorf("%s\nwant it to start %q and name aiecon v1 to finish it", got, tt.want)
		}
	}
}
