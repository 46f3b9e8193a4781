package hw

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

const requiredHeader = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms"

// TestUnreadColumns: a column that looks like a misspelled column the reader
// uses is refused, naming it, its position and the name meant (read as
// missing, "metric-kind" turned 8 closed-loop clients into a static batch);
// other unknown columns are read and named in one warning; the descriptive
// columns of the published files are neither.
func TestUnreadColumns(t *testing.T) {
	row := "llama-3-8b,trn1.32xlarge,32,8,2048,128,128,bf16,77.36,12.10"
	var wide, wideCells strings.Builder
	for i := range 25 {
		fmt.Fprintf(&wide, ",extra_%d", i)
		wideCells.WriteString(",x")
	}
	for _, tt := range []struct {
		name, extra, cells string
		wantErr, wantWarn  string // "" = none
	}{
		{"hyphen", ",metric-kind", ",closed-loop concurrency=8", `column 11 "metric-kind": did you mean metric_kind?`, ""},
		{"space and case", ",Metric Kind", ",closed-loop concurrency=8", `column 11 "Metric Kind": did you mean metric_kind?`, ""},
		{"typo", ",metric_knid", ",closed-loop concurrency=8", `did you mean metric_kind?`, ""},
		{"two edits", ",metrc_kinds", ",closed-loop concurrency=8", `did you mean metric_kind?`, ""},
		{"plural note is a label", ",notes", ",vllm bench", "", "notes (column 11)"},
		{"short names take no slip", ",state", ",done", "", "state (column 11)"},
		{"case is not a slip", ",STAT", ",mean", "", ""},
		{"required misspelled", "", "", `column 9 "ttft-ms": did you mean ttft_ms?`, ""},
		{"unknown", ",gpu_count,owner", ",8,me", "", "ignoring column(s) aiecon does not read: gpu_count (column 11), owner (column 12)"},
		{"short names are not near tp", ",id", ",7", "", "id (column 11)"},
		// Twenty named, the rest counted: 20,000 columns made a 400 KB line.
		{"many", wide.String(), wideCells.String(), "", "extra_18 (column 29), extra_19 (column 30) and 5 more"},
		{"near a label column", ",sources", ",x", "", "sources (column 11)"},
		{"near a column present", ",ttft_s", ",0.07", "", "ttft_s (column 11)"},
		{"known", ",metric_kind,chips,ttft_p99_ms", ",static batch,32,80", "", ""},
		{"trailing comma", ",", ",", "", ""},
	} {
		header := requiredHeader + tt.extra
		if tt.name == "required misspelled" {
			header = strings.Replace(header, "ttft_ms", "ttft-ms", 1)
		}
		var warns []string
		_, err := ReadServingPointsWarn(strings.NewReader(header+"\n"+row+tt.cells+"\n"), "f.csv", func(s string) { warns = append(warns, s) })
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
		got := strings.Join(warns, "\n")
		if (tt.wantWarn == "") != (got == "") || !strings.Contains(got, tt.wantWarn) || len(warns) > 1 {
			t.Errorf("%s: warnings %q, want %q", tt.name, warns, tt.wantWarn)
		}
	}
}

// TestPublishedHeadersLoadQuietly: every column of the published
// measurement files is read or known as descriptive: they load with no
// error and no warning.
func TestPublishedHeadersLoadQuietly(t *testing.T) {
	const dir = "../../shared/reference/serving-measurements/"
	files := []string{"gpu-nim-a100.csv", "gpu-trtllm-0.9-static.csv", "neuron-llama3.csv", "neuron.csv"}
	for _, name := range files {
		f, err := os.Open(dir + name)
		if err != nil {
			t.Skipf("the published measurements are not here (%v): they live in ../shared/reference/serving-measurements", err)
		}
		var warns []string
		_, err = ReadServingPointsWarn(f, name, func(s string) { warns = append(warns, s) })
		f.Close()
		if err != nil || len(warns) > 0 {
			t.Errorf("%s: error %v, warnings %q", name, err, warns)
		}
	}
}
