package kernels

import (
	"strings"
	"testing"
)

// TestReadImportStandInPeak: where the catalog states no peak for the
// dtype (int8 on H100), the bound is the peak that stands in for it, and
// the error names that one: it had called H100's bf16 peak "the H100 int8
// peak". A dtype with a stated peak (fp8 on H100) is checked against it.
func TestReadImportStandInPeak(t *testing.T) {
	tests := []struct{ name, row, want, not string }{
		{"int8 on H100", "H100,int8,1,8192,8192,8192,0.0008",
			"seconds 0.0008 is faster than the rate aiecon prices int8 at on H100 allows: 2 x batch 1 x m 8192 x n 8192 x k 8192 = 1.1e+12 FLOP at the H100 bf16 peak of 9.89e+14 FLOP/s takes at least 0.00111 s (the catalog states no int8 peak for H100, so aiecon prices int8 there at its bf16 rate)",
			"int8 peak of"},
		{"int8 on H100, slow", "H100,int8,1,128,128,128,100", "at the H100 bf16 peak of 9.89e+14 FLOP/s", "int8 peak of"},
		{"fp8 on H100", "H100,fp8,1,8192,8192,8192,0.0004", "seconds 0.0004 is faster than the device's peak allows: 2 x batch 1 x m 8192 x n 8192 x k 8192 = 1.1e+12 FLOP at the H100 fp8 peak of 1.979e+15 FLOP/s", "catalog states no"},
	}
	for _, tt := range tests {
		_, err := ReadImport(strings.NewReader("hw,dtype,batch,m,n,k,seconds\n"+tt.row+"\n"), "H100", "")
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), tt.not) {
			t.Errorf("%s: %v\nwant %q, without %q", tt.name, err, tt.want, tt.not)
		}
	}
}
