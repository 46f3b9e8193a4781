package data

import (
	"bytes"
	"encoding/json"
)

// ParamText is one value of a run's params_json as a --set gives it: a
// string without its quotes, anything else compact JSON. show's override
// line and the dashboard's parameter columns read it so.
func ParamText(raw json.RawMessage) string {
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
