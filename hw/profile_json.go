package hw

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// ProfilePlaceError is a calibration profile's JSON error at a line and
// column (1-based, the column in characters, as an editor and the scenario
// reader count it), which LoadProfile puts after the
// file's name as the YAML and CSV readers do (FILE:LINE:COL: ...):
// encoding/json gives only a byte offset, which its message leaves out.
type ProfilePlaceError struct {
	Line, Col int
	Msg       string
}

func (e *ProfilePlaceError) Error() string {
	return fmt.Sprintf("line %d col %d: %s", e.Line, e.Col, e.Msg)
}

// placeJSON returns err, encoding/json's error decoding part, placed in
// whole (part is whole, or a copy of a slice of it) where it has a place:
// a syntax error at its byte, a value of the wrong type at the value,
// named by its field and the type it wants. Other errors come back as
// they are.
func placeJSON(whole, part []byte, err error) error {
	base := 0
	if len(part) != len(whole) {
		base = max(bytes.Index(whole, part), 0)
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && se.Offset > 0:
		line, col := jsonLineCol(whole, base+int(se.Offset)-1)
		return &ProfilePlaceError{Line: line, Col: col, Msg: strings.TrimPrefix(se.Error(), "json: ")}
	case errors.As(err, &te) && te.Offset > 0:
		line, col := jsonLineCol(whole, base+valueStart(part, int(te.Offset)))
		field := te.Field
		if f, ok := strings.CutPrefix(field, "Profile."); ok { // profileWire's embedded Profile, a Go name
			field = f
		}
		got := jsonGot(te.Value)
		msg := fmt.Sprintf("want %s, got %s", jsonKind(te.Type), got)
		if field != "" {
			msg = field + ": " + msg
		}
		return &ProfilePlaceError{Line: line, Col: col, Msg: msg}
	}
	return err
}

// jsonGot names what encoding/json found (string, bool, array, object,
// or number 1e400) as jsonKind names what is wanted: "a list", "an object".
func jsonGot(value string) string {
	switch {
	case strings.HasPrefix(value, "number "):
		return value
	case value == "object":
		return "an object"
	case value == "array":
		return "a list"
	}
	return "a " + value
}

// jsonLineCol is the line and column of byte offset off in data, the
// column counted in characters (UTF-8), as the scenario reader counts it.
func jsonLineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
	return 1 + bytes.Count(data[:off], []byte("\n")), 1 + utf8.RuneCount(data[lineStart:off])
}

// valueStart is where the JSON value that ends at end (encoding/json's
// offset of a value of the wrong type) starts: its opening quote, or the
// first byte of a number or literal; for an object or a list, whose
// offset is just past its opening bracket, the bracket.
func valueStart(data []byte, end int) int {
	end = min(end, len(data))
	i := end - 1
	if i < 0 {
		return end
	}
	if data[i] == '{' || data[i] == '[' {
		return i
	}
	if data[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if data[j] != '"' {
				continue
			}
			k := j - 1
			for k >= 0 && data[k] == '\\' {
				k--
			}
			if (j-1-k)%2 == 0 { // an even number of backslashes: not escaped
				return j
			}
		}
		return end
	}
	for i >= 0 && strings.IndexByte("0123456789+-.eEabcdefghijklmnopqrstuvwxyz", data[i]) >= 0 {
		i--
	}
	if i+1 < end {
		return i + 1
	}
	return end
}

// jsonKind names a Go type by the JSON it takes.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}
