package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"aiecon/model"
)

// Overrides are the changes a run made to its scenario file, in the order
// they were applied: a variant's set, then the user's --set (and --seed,
// --horizon). They are stored with the run (runs.params_json) so two runs
// of one scenario with different overrides can be told apart.
type Overrides []model.Override

// JSON is the overrides as a JSON object of path to value (as given), in
// the order applied; a path set twice keeps its last value. "" when none.
// Each value is written as paramValue says, in the form a sweep point's
// takes.
func (os Overrides) JSON() string {
	if len(os) == 0 {
		return ""
	}
	last := map[string]string{}
	var order []string
	for _, o := range os {
		if _, seen := last[o.Path]; !seen {
			order = append(order, o.Path)
		}
		last[o.Path] = o.Value
	}
	values := make([]any, len(order))
	for i, p := range order {
		values[i] = paramValue(last[p])
	}
	return JSONObject(order, values)
}

// paramValue is one override's value as params_json holds it. A value
// given as a JSON number or true/false (fleet.count=2, ads.ctr=0.02,
// fleet.replica.prefix_caching=false) is that number or boolean, as a
// sweep or optimize point writes it, so that one parameter reads alike in
// a single run's row and a sweep's ({"fleet.count": 2}, where single runs
// wrote "2"); anything else, a duration, rate, name, quoted string or list,
// is a JSON string of its text, as a sweep writes durations, rates and
// names. Either way the text is kept as given: data.ParamText reads it
// back unchanged, which show's "with fleet.count=2" and the stored
// scenario's overrides rebuild from. null stays text, the text given (a
// sweep's JSON null reads back as null too).
func paramValue(text string) any {
	if text == "true" || text == "false" || isJSONNumber(text) {
		return json.RawMessage(text)
	}
	return text
}

// isJSONNumber reports whether text is exactly one JSON number, with
// nothing around it (json.Valid would take " 2", which the object's
// encoding would then write as 2, not as given).
func isJSONNumber(text string) bool {
	if text == "" || (text[0] != '-' && (text[0] < '0' || text[0] > '9')) {
		return false
	}
	if last := text[len(text)-1]; last < '0' || last > '9' {
		return false
	}
	return json.Valid([]byte(text))
}

// JSONObject is keys and values as one JSON object in the order given (a Go
// map would sort the keys, and the order is how the overrides read). A value
// that does not marshal is written as null.
func JSONObject(keys []string, values []any) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		vj, err := json.Marshal(values[i])
		if err != nil {
			vj = []byte("null")
		}
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	return b.String()
}

// Effective is the overrides less those a later one replaces (the same
// path, or a field inside a later one's: fleet.replica.tp before a
// fleet.replica), in the order applied: a command line that repeats them
// says each once (a variant's fleet.pricing=on-demand and the user's
// fleet.pricing=spot read as a contradiction).
func (os Overrides) Effective() Overrides {
	var out Overrides
	for i, o := range os {
		replaced := false
		for _, later := range os[i+1:] {
			if within(o.Path, later.Path) {
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, o)
		}
	}
	return out
}

// within reports whether path is the field at or inside outer.
func within(path, outer string) bool {
	return path == outer || strings.HasPrefix(path, outer) && (path[len(outer)] == '.' || path[len(outer)] == '[')
}

// String is the overrides as path=value pairs, for a run's name.
func (os Overrides) String() string {
	parts := make([]string, len(os))
	for i, o := range os {
		parts[i] = o.String()
	}
	return strings.Join(parts, " ")
}

// samePath reports whether two override paths touch the same field: equal,
// or one a prefix of the other at a segment boundary (fleet.replica and
// fleet.replica.tp). The paths are compared as written; model.PathsOverlap
// first writes their selectors by index.
func samePath(a, b string) bool { return model.PathsOverlap(a, b) }

// refuseVariantClash refuses a --set (or a flag standing for one, such as
// --horizon) that changes a field some variant sets when every variant
// runs: applied after each variant it would make them identical in that
// field under different names. With --variant (one variant) the --set
// applies after the variant and is recorded. An element may be named by
// index or by name, in the --set and in the variant's set alike: base, the
// scenario as written, tells which index a name is (--set
// workloads[0].arrivals.rate slipped past a variant's
// workloads[chat].arrivals.rate, and both variants ran one rate).
func refuseVariantClash(base *Loaded, given []model.Override) error {
	tree := givenSource(base).Tree()
	for _, user := range given {
		for _, v := range base.Scenario.Variants {
			ovs, err := v.Overrides()
			if err != nil {
				return fmt.Errorf("variant %s: %w", v.Name, err)
			}
			for _, o := range ovs {
				if model.PathsOverlap(user.Path, o.Path, tree) {
					return inputErr("%s changes %s, which variant %s sets (%s): applied to every variant it would "+
						"erase what tells them apart. Run one variant with --variant %s %s, or drop the %s",
						typed(user), o.Path, v.Name, o, v.Name, typed(user), strings.Fields(typed(user))[0])
				}
			}
		}
	}
	return nil
}
