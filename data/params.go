package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Param is one key of a run's params_json with its value as ParamText
// gives it.
type Param struct{ Key, Value string }

// ParseParams reads a run's params_json object keeping its key order (a
// Go map would lose it, and the order is the order the overrides were
// applied in, and how a sweep reads).
func ParseParams(js string) ([]Param, error) {
	dec := json.NewDecoder(strings.NewReader(js))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	var out []Param
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		out = append(out, Param{Key: fmt.Sprint(kt), Value: ParamText(raw)})
	}
	return out, nil
}

// ParamText is one value of a run's params_json as a --set gives it: a
// string without its quotes, anything else compact JSON. show's override
// line and the dashboard's parameter columns read it so. A JSON null (a
// sweep's null, which resets the field to its default) is null, as a --set
// resets it: json.Unmarshal left the string empty, and show said "with
// hardware.calibration=", an empty value, which no --set may give.
func ParamText(raw json.RawMessage) string {
	if string(bytes.TrimSpace(raw)) == "null" {
		return "null"
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) == nil {
		return b.String()
	}
	return string(raw)
}
