package sim

import (
	"strings"
	"testing"
)

// TestReadTraceDuplicateColumn: a column the trace is read by, named twice,
// is refused naming it, its two positions and the file's header line; the
// last copy had been read without a word. A column the trace does not read
// may repeat.
func TestReadTraceDuplicateColumn(t *testing.T) {
	tests := []struct{ header, want string }{
		{"TIMESTAMP,ContextTokens,GeneratedTokens,GeneratedTokens", `t.csv:1: column "GeneratedTokens" appears twice in the header (columns 3 and 4)`},
		{"TIMESTAMP,ContextTokens, TIMESTAMP,GeneratedTokens", `t.csv:1: column "TIMESTAMP" appears twice in the header (columns 1 and 3)`},
		{"ContextTokens,TIMESTAMP,GeneratedTokens,ContextTokens", `t.csv:1: column "ContextTokens" appears twice in the header (columns 1 and 4)`},
		{"TIMESTAMP,ContextTokens,GeneratedTokens,Note,Note", ""},
	}
	for _, tt := range tests {
		row := "2023-11-16 18:15:46,5,5,5"
		if strings.HasSuffix(tt.header, "Note") {
			row += ",5"
		}
		_, err := ReadTrace(strings.NewReader(tt.header+"\n"+row+"\n"), "t.csv")
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.header, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %q", tt.header, err, tt.want)
		}
	}
}

// TestReadTraceTimeLayouts: each timestamp form of the Azure traces is read
// (the 2024 week-long traces' "2024-05-10 00:00:00.009930+00:00", a UTC
// offset after a space, had been refused as a bad TIMESTAMP), and offsets
// are kept: a row at 01:00:01+01:00 is one second after 00:00:00 UTC.
func TestReadTraceTimeLayouts(t *testing.T) {
	tests := []struct {
		name, first, second string
		wantNs              int64
	}{
		{"Azure 2023", "2023-11-16 18:15:46.6805900", "2023-11-16 18:15:47.6805900", 1e9},
		{"Azure 2024", "2024-05-10 00:00:00.009930+00:00", "2024-05-10 00:00:00.019930+00:00", 1e7},
		{"space with offsets", "2024-05-10 00:00:00+00:00", "2024-05-10 01:00:01+01:00", 1e9},
		{"space with Z", "2024-05-10 00:00:00Z", "2024-05-10 00:00:02.5Z", 2.5e9},
		{"ISO with T", "2023-11-16T18:15:46Z", "2023-11-16T18:15:47.5Z", 1.5e9},
		{"no fraction", "2023-11-16 18:15:46", "2023-11-16 18:15:49", 3e9},
	}
	for _, tt := range tests {
		src := "TIMESTAMP,ContextTokens,GeneratedTokens\n" + tt.first + ",5,5\n" + tt.second + ",5,5\n"
		tr, err := ReadTrace(strings.NewReader(src), "t.csv")
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if tr.OffsetsNs[1] != tt.wantNs {
			t.Errorf("%s: second row at %d ns, want %d", tt.name, tr.OffsetsNs[1], tt.wantNs)
		}
	}
}

// TestReadTraceHeaderText: a trace whose lines end with CR alone reads as
// one line, and one saved as UTF-16 lacks every column; each is refused
// saying so, and a header that lacks a column is quoted only in part. The
// error quoted the whole header, which for a CR-only file is the whole file
// (758 KB for 100,000 rows), and said nothing of line ends.
func TestReadTraceHeaderText(t *testing.T) {
	rows := strings.Repeat("2023-11-16 18:15:46.6805900,4808,10\r", 20000)
	tests := []struct{ name, src, want string }{
		{"CR-only", "TIMESTAMP,ContextTokens,GeneratedTokens\r" + rows, "t.csv:1: its lines end with a carriage return alone (classic Mac line ends)"},
		// With a column after the three, the header held all of them,
		// and the trace was said to have no requests.
		{"CR-only, an extra column", "TIMESTAMP,ContextTokens,GeneratedTokens,Note\r" + strings.ReplaceAll(rows, "\r", ",x\r"), "t.csv:1: its lines end with a carriage return alone"},
		{"UTF-16", "\xff\xfeT\x00I\x00M\x00E\x00,\x00C\x00\n\x00", "t.csv:1: it is UTF-16 text"},
		{"a column missing", "TIMESTAMP,ContextTokens," + strings.Repeat("x", 10000) + "\n" + "2023-11-16 18:15:46,5,5\n",
			`t.csv:1: header must have TIMESTAMP, ContextTokens and GeneratedTokens columns, got "TIMESTAMP,ContextTokens,xxx`},
	}
	for _, tt := range tests {
		_, err := ReadTrace(strings.NewReader(tt.src), "t.csv")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			continue
		}
		if len(err.Error()) > 400 {
			t.Errorf("%s: the error is %d bytes long, want it to quote a few dozen characters of the file", tt.name, len(err.Error()))
		}
	}
}
