package sim

import (
	"bytes"
	"testing"
)

// FuzzReadTrace feeds the trace reader arbitrary bytes: it must never
// panic, and a trace it accepts has requests, offsets that start at 0 and
// never go back, and token counts in range (at least 1).
func FuzzReadTrace(f *testing.F) {
	for _, s := range []string{
		"TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.0000000,10,5\n",
		"\ufeffTIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16T18:15:46.68Z,1,1\n",
		"GeneratedTokens,TIMESTAMP,ContextTokens\n5,2023-11-16 18:15:46,7\n",
		"TIMESTAMP,ContextTokens,GeneratedTokens\n1700-01-01 00:00:00,1,1\n2100-01-01 00:00:00,1,1\n",
		"TIMESTAMP,ContextTokens,GeneratedTokens\n\x00\x01\xff,1,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ReadTrace(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		if tr.Len() == 0 || len(tr.Context) != tr.Len() || len(tr.Generated) != tr.Len() || tr.OffsetsNs[0] != 0 {
			t.Fatalf("accepted an inconsistent trace: %+v", tr)
		}
		for i := range tr.OffsetsNs {
			if i > 0 && tr.OffsetsNs[i] < tr.OffsetsNs[i-1] {
				t.Fatalf("offset %d goes back: %d after %d", i, tr.OffsetsNs[i], tr.OffsetsNs[i-1])
			}
			if tr.Context[i] < 1 || tr.Generated[i] < 1 || tr.Context[i] > 1<<24 || tr.Generated[i] > 1<<24 {
				t.Fatalf("row %d: token counts %d, %d out of range", i, tr.Context[i], tr.Generated[i])
			}
		}
	})
}
