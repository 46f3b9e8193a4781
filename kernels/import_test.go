package kernels

import (
	"fmt"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model/llm"
)

func TestReadImportGood(t *testing.T) {
	csv := "hw,dtype,batch,m,n,k,seconds\n" +
		"Trainium2,bf16,1,128,4096,4096,6.1e-05\n" +
		"trainium2,BF16,1,1,4096,4096,0.0001\n" +
		"Trainium2,fp8,8,64,1024,128,2e-06\n"
	got, err := ReadImport(strings.NewReader(csv), "Trainium2", "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	chip, err := hw.ChipByName("Trainium2")
	if err != nil {
		t.Fatal(err)
	}
	dev := hw.DeviceOf(chip)
	if len(got) != 2 || got[0].DType != llm.BF16 || got[1].DType != llm.FP8 {
		t.Fatalf("got %d calibrations %+v, want bf16 then fp8", len(got), got)
	}
	if len(got[0].Measurements) != 2 || got[0].Measurements[1].Line != 3 || got[0].Measurements[1].M != 1 {
		t.Errorf("bf16 measurements %+v", got[0].Measurements)
	}
	if got[0].PeakFLOPSPerS != dev.Peak(llm.BF16) || got[1].PeakFLOPSPerS != dev.Peak(llm.FP8) || got[0].BytesPerS != dev.HBMBytesPerS {
		t.Errorf("device numbers %g/%g/%g, want the catalog's %g/%g/%g", got[0].PeakFLOPSPerS, got[1].PeakFLOPSPerS, got[0].BytesPerS,
			dev.Peak(llm.BF16), dev.Peak(llm.FP8), dev.HBMBytesPerS)
	}
	if got[0].Chip != chip.Name || got[0].Source != "t.csv" {
		t.Errorf("chip %q source %q", got[0].Chip, got[0].Source)
	}
	// Columns in another order are fine.
	reordered := "seconds,k,n,m,batch,dtype,hw\n1e-3,64,64,64,1,bf16,Trainium2\n"
	if _, err := ReadImport(strings.NewReader(reordered), "Trainium2", ""); err != nil {
		t.Errorf("reordered columns: %v", err)
	}
}

// TestReadImportBadRows: every bad row is reported with its line number and
// nothing is returned.
func TestReadImportBadRows(t *testing.T) {
	csv := "hw,dtype,batch,m,n,k,seconds\n" +
		"Trainium2,bf16,1,128,4096,4096,6e-05\n" + // 2: good
		"Trainium2,bf17,1,128,4096,4096,6e-05\n" + // 3: dtype
		"Trainium2,bf16,0,128,4096,4096,6e-05\n" + // 4: batch
		"Trainium2,bf16,1,128,4096,4096,-1\n" + // 5: seconds
		"Inferentia2,bf16,1,64,64,64,1e-3\n" + // 6: wrong chip
		"Trainium2,bf16,1,128,4096\n" + // 7: short row
		"Trainium2,bf16,1,128,4096,4096,7e-05\n" + // 8: duplicate of 2
		"Trainium2,bf16,1,x,4096,4096,inf\n" // 9: m and seconds
	got, err := ReadImport(strings.NewReader(csv), "Trainium2", "")
	if err == nil {
		t.Fatalf("bad rows accepted: %+v", got)
	}
	if got != nil {
		t.Errorf("returned %d calibrations with an error: something was half-imported", len(got))
	}
	msg := err.Error()
	for _, want := range []string{"7 bad row(s)", "nothing imported", "line 3: dtype", "line 4: batch", "line 5: seconds",
		"line 6: hw \"Inferentia2\"", "line 7: 5 fields", "line 8:", "repeats line 2", "line 9: m \"x\"", "seconds \"inf\""} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "line 2:") {
		t.Errorf("the good line 2 is reported as bad:\n%s", msg)
	}
}

func TestReadImportBadFile(t *testing.T) {
	cases := []struct {
		name, chip, csv, want string
	}{
		{"unknown chip", "Trainium9", "hw,dtype,batch,m,n,k,seconds\n", "unknown chip"},
		{"empty", "Trainium2", "", "empty file"},
		{"missing columns", "Trainium2", "hw,dtype,m,n,k\n", "lacks column(s) batch, seconds"},
		{"duplicate column", "Trainium2", "hw,hw,dtype,batch,m,n,k,seconds\n", "appears twice"},
		{"header only", "Trainium2", "hw,dtype,batch,m,n,k,seconds\n", "no data rows"},
		{"unsupported dtype", "H100", "hw,dtype,batch,m,n,k,seconds\nH100,fp32,1,1,1,1,1\n", "no catalogued peak"},
		{"weight-only dtype", "H100", "hw,dtype,batch,m,n,k,seconds\nH100,awq,1,128,128,128,0.001\n", "dtype int4: a weight-only format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadImport(strings.NewReader(c.csv), c.chip, "")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one saying %q", err, c.want)
			}
		})
	}
}

func TestMergeImported(t *testing.T) {
	old := []hw.ImportedCalibration{{Chip: "Trainium2", DType: llm.BF16, Source: "old"}, {Chip: "Trainium2", DType: llm.FP8, Source: "old"}}
	add := []hw.ImportedCalibration{{Chip: "trainium2", DType: llm.BF16, Source: "new"}}
	got := MergeImported(old, add)
	if len(got) != 2 || got[0].DType != llm.FP8 || got[1].Source != "new" {
		t.Errorf("merge = %+v, want fp8 kept and bf16 replaced", got)
	}
}

// TestReadImportImplausibleTimings: a timing faster than the peak allows or
// absurdly slow is refused with the arithmetic (issue 15.10: seconds=1e308
// was accepted and made every trn2 run report a TTFT p99 of 1 ns).
func TestReadImportImplausibleTimings(t *testing.T) {
	cases := []struct{ name, row, want string }{
		{"1e308 seconds", "Trainium2,bf16,1,128,4096,4096,1e308", "seconds 1e+308 is implausibly slow: 2 x batch 1 x m 128 x n 4096 x k 4096 = 4.295e+09 FLOP at the Trainium2 bf16 peak"},
		{"faster than peak", "Trainium2,bf16,1,4096,4096,4096,1e-9", "seconds 1e-09 is faster than the device's peak allows: 2 x batch 1 x m 4096"},
		{"smallest positive", "Trainium2,bf16,1,1,1,1,5e-324", "faster than the device's peak"},
		// A shape no device's memory holds, its timing matched to it, was
		// imported and blended into the profile.
		{"shape of 2^63", "Trainium2,bf16,1,9223372036854775807,9223372036854775807,9223372036854775807,1e44", "more than the 96 GiB of a whole Trainium2: no device ran this GEMM"},
		{"6 TB of operands", "Trainium2,bf16,1,1000000,1000000,1000000,1", "take 5588 GiB in bf16, more than the 96 GiB of a whole Trainium2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadImport(strings.NewReader("hw,dtype,batch,m,n,k,seconds\n"+c.row+"\n"), "Trainium2", "")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "line 2:") {
				t.Fatalf("want line 2 refused with %q, got %v", c.want, err)
			}
		})
	}
	bom := "\ufeffhw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,128,4096,4096,6.1e-05\n"
	if _, err := ReadImport(strings.NewReader(bom), "Trainium2", ""); err != nil {
		t.Errorf("a header with a byte-order mark: %v", err)
	}
}

// TestReadImportSize: a file past MaxImportRows rows or maxImportBytes bytes
// is refused before it is read to the end, and a file of many bad rows lists
// the first maxListedImportErrors and counts the rest.
func TestReadImportSize(t *testing.T) {
	const header = "hw,dtype,batch,m,n,k,seconds\n"
	good := func(n int) string {
		var b strings.Builder
		b.WriteString(header)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "Trainium2,bf16,1,%d,64,64,1e-3\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, in string
		want     []string
		ok       bool
	}{
		{"at the row bound", good(MaxImportRows), nil, true},
		{"past the row bound", good(MaxImportRows + 1), []string{fmt.Sprintf("line %d: more than %d rows", MaxImportRows+2, MaxImportRows)}, false},
		{"past the byte bound", header + "Trainium2,bf16,1,1,64,64,\"" + strings.Repeat("9", maxImportBytes) + "\"\n", []string{"larger than 16 MiB"}, false},
		{"many bad rows", header + strings.Repeat("Trainium2,bf16,1,1,64,64,NaN\n", 50),
			[]string{"import: 50 bad row(s), nothing imported:", "line 21: seconds", "\n... and 30 more bad row(s)"}, false},
	}
	for _, tt := range tests {
		got, err := ReadImport(strings.NewReader(tt.in), "Trainium2", "")
		if tt.ok {
			if err != nil || len(got) != 1 || len(got[0].Measurements) != MaxImportRows {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if err == nil {
			t.Fatalf("%s: accepted", tt.name)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tt.name, err, w)
			}
		}
		if strings.Contains(err.Error(), "line 22:") {
			t.Errorf("%s: listed past the first %d: %q", tt.name, maxListedImportErrors, err)
		}
	}
}
