package forecast

import (
	"strings"
	"testing"

	"aiecon/model"
)

// TestForecastDescriptionBounded: a forecast's description and its
// variants' are one line for listings, bounded as a scenario's is.
func TestForecastDescriptionBounded(t *testing.T) {
	long := strings.Repeat("d", model.MaxDescriptionRunes+1)
	cases := []struct {
		name, src, want string
	}{
		{"at the bound", strings.Replace(small, "name: small\n", "name: small\ndescription: "+long[1:]+"\n", 1), ""},
		{"the forecast's", strings.Replace(small, "name: small\n", "name: small\ndescription: "+long+"\n", 1),
			"test.yaml:2:14: description: 2001 characters; at most 2000"},
		{"a variant's", strings.Replace(small, "  - name: rented\n", "  - name: rented\n    description: "+long+"\n", 1),
			"variants[1].description: 2001 characters; at most 2000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(c.src), "")
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}
