package kernels

import (
	"bytes"
	"testing"
)

// FuzzReadImport feeds `calibrate import` arbitrary CSV: it must never
// panic, and what it accepts is complete, plausible measurements.
func FuzzReadImport(f *testing.F) {
	for _, s := range []string{
		"hw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,128,4096,4096,6.1e-05\nTrainium2,fp8,8,64,1024,128,2e-06\n",
		"seconds,k,n,m,batch,dtype,hw\n1e-3,64,64,64,1,bf16,Trainium2\n",
		"hw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,128,4096,4096,1e308\n",
		"\ufeffhw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,1,1,1,5e-324\n",
		"hw,dtype,batch,m,n,k,seconds\nTrainium2,bf16,1,128,\"4096\n\",4096,6e-05\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cals, err := ReadImport(bytes.NewReader(data), "Trainium2", "fuzz.csv")
		if err != nil {
			return
		}
		for _, c := range cals {
			if len(c.Measurements) == 0 || !(c.PeakFLOPSPerS > 0) {
				t.Fatalf("accepted an empty or peakless calibration: %+v", c)
			}
			for _, m := range c.Measurements {
				least := 2 * float64(m.Batch) * float64(m.M) * float64(m.N) * float64(m.K) / c.PeakFLOPSPerS
				if m.Batch < 1 || m.M < 1 || m.N < 1 || m.K < 1 || m.Seconds < least || m.Seconds > maxOverheadS+maxSlowdown*least {
					t.Fatalf("accepted an implausible row: %+v", m)
				}
			}
		}
	})
}
