package hw

import (
	"strings"
	"testing"
)

// TestServingPointsCSVErrorsNameTheirPlace: a CSV syntax error is placed
// as FILE:LINE:COL, as every other message is, where encoding/csv said
// "bq.csv: parse error on line 2, column 3: ..." after the name.
func TestServingPointsCSVErrorsNameTheirPlace(t *testing.T) {
	const header = "model,instance,tp,batch,seq_len,input_tokens,output_tokens,weight_dtype,ttft_ms,tpot_ms\n"
	cases := []struct{ name, src, want string }{
		{"bq.csv", header + "ab\"c,x,1\n", `bq.csv:2:3: bare " in non-quoted-field`},
		{"bq.csv", "mo\"del,x\n", `bq.csv:1:3: bare " in non-quoted-field`},
		{"", header + "ab\"c,x,1\n", `serving points: line 2, column 3: bare " in non-quoted-field`},
		{"oq.csv", header + "a,b,\"never closed\nc,d\n", `oq.csv:3:5: extraneous or missing " in quoted-field (in the record that starts on line 2)`},
	}
	for _, c := range cases {
		_, err := ReadServingPointsFile(strings.NewReader(c.src), c.name)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.src, err, c.want)
		}
	}
}
