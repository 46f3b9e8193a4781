package model

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestScenarioReferenceIsComplete: every settable field of the schema is in
// docs/scenarios.md, so a new field cannot ship undocumented.
func TestScenarioReferenceIsComplete(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	skip := regexp.MustCompile(`^((pools\[\]\.)?model\.|variants\[\]\.|.*\.(dist|value|mean|median|p99|sigma|cv|std|min|max|values|trace|column)$)`)
	var missing []string
	for _, p := range Paths() {
		if skip.MatchString(p) && !strings.HasSuffix(p, "arrivals.cv") && !strings.HasSuffix(p, "arrivals.trace") {
			continue
		}
		leaf := p[strings.LastIndexAny(p, ".]")+1:]
		if !strings.Contains(text, "`"+p+"`") && !strings.Contains(text, leaf+"`") {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("docs/scenarios.md does not document: %s", strings.Join(missing, ", "))
	}
}

// TestBuiltinScenariosLoad: every embedded scenario parses with its comments
// and has a description.
func TestBuiltinScenariosParse(t *testing.T) {
	names := BuiltinNames()
	if len(names) < 6 {
		t.Fatalf("only %d built-in scenarios: %v", len(names), names)
	}
	for _, n := range names {
		src, err := Builtin(n)
		if err != nil {
			t.Fatal(err)
		}
		sc, _, err := Parse(n+".yaml", src)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if sc.Name != n || sc.Description == "" {
			t.Errorf("%s: name %q, description %q", n, sc.Name, sc.Description)
		}
	}
}

// fullScenario has every optional section present and empty, so that each
// default of docs/scenarios.md shows in its resolution: spot pricing,
// autoscaling, an api, an agent (with retrieval), a batch and a trace
// workload, ads, training, and a second pool routed by workload.
const fullScenario = `name: full
model: llama-3.3-70b
fleet: {instance: trn2.48xlarge, pricing: spot, spot: {discount: 0.5}, autoscale: {}, replica: {tp: 32}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
  - {name: shop, class: agent, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10, agent: {retrieval: {}}}
  - {name: offline, class: batch, arrivals: {rate: 1/s}, prompt_tokens: 10, output_tokens: 10}
  - {name: replay, class: api, arrivals: {process: trace, trace: {path: t.csv}}}
ads: {}
training: {tokens: 1e9}
pools: [{model: llama-3.1-8b, fleet: {instance: p5.48xlarge}}]
routing: {workloads: {chat: llama-3.1-8b}}
`

var docRowRE = regexp.MustCompile("^\\| (`[^|]+) \\| ([^|]*) \\|")

// TestScenarioDefaultsMatchTheDocs: every default docs/scenarios.md states
// as a value (a number, a duration, a name, or a distribution such as
// "poisson mean 4") is what resolution gives, so the docs cannot drift from
// the code that states each default once.
func TestScenarioDefaultsMatchTheDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	sc, src, err := Load("full.yaml", []byte(fullScenario), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	// The defaulted values by schema path, each with its context: the
	// replica's scheduler and, in a workload, its class.
	values := map[string][]reflect.Value{}
	contexts := map[string][]string{}
	walkFields(reflect.ValueOf(sc).Elem(), "", "", func(path, schema string, v reflect.Value) {
		if src.node(path) != nil {
			return // given in the file, not a default
		}
		values[schema] = append(values[schema], v)
		ctx := sc.Fleet.Replica.Scheduler
		if strings.HasPrefix(path, "workloads[") {
			i, _ := strconv.Atoi(path[len("workloads["):strings.IndexByte(path, ']')])
			ctx += " " + sc.Workloads[i].Class
		}
		contexts[schema] = append(contexts[schema], ctx)
	})
	checked := 0
	for _, line := range strings.Split(string(doc), "\n") {
		m := docRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		keys := docKeys(m[1])
		defs := []string{strings.TrimSpace(m[2])}
		if len(keys) > 1 {
			if parts := strings.Split(defs[0], ", "); len(parts) == len(keys) {
				defs = parts
			}
		}
		for i, key := range keys {
			for j, v := range values[key] {
				def, applies := docDefault(defs[min(i, len(defs)-1)], contexts[key][j])
				if !applies {
					continue
				}
				ok, comparable := docValueMatches(def, v)
				if !comparable {
					break
				}
				checked++
				if !ok {
					t.Errorf("docs/scenarios.md says %s defaults to %q; resolution gives %v", key, def, v.Interface())
				}
			}
		}
	}
	t.Logf("%d documented defaults checked against resolution", checked)
	if checked < 50 {
		t.Fatalf("only %d defaults checked: is the table format still `| `path` | default | meaning |`?", checked)
	}
}

// docKeys reads "`fleet.autoscale.min`, `max`" as two full paths.
func docKeys(cell string) []string {
	var keys []string
	for _, k := range strings.Split(cell, ",") {
		k = strings.Trim(strings.TrimSpace(k), "`")
		if len(keys) > 0 && !strings.Contains(k, ".") {
			first := keys[0]
			k = first[:strings.LastIndexByte(first, '.')+1] + k
		}
		keys = append(keys, k)
	}
	return keys
}

// contextWords are the conditions a documented default may carry:
// "32 (neuron, static), 256 (vllm)", "0.5 (batch)".
var contextWords = []string{"vllm", "neuron", "static", ClassAPI, ClassAgent, ClassBatch}

// docDefault picks, from a default cell, the value that applies in a
// context (the scheduler and the workload's class); a parenthesis of other
// words is an aside ("0 (none)").
func docDefault(cell, context string) (value string, applies bool) {
	for _, alt := range strings.Split(cell, "), ") {
		v, cond, hasCond := strings.Cut(alt, " (")
		if !hasCond {
			return alt, true
		}
		conds := strings.Split(strings.TrimSuffix(cond, ")"), ", ")
		if !slices.ContainsFunc(conds, func(c string) bool { return oneOf(c, contextWords...) }) {
			return v, true
		}
		for _, c := range conds {
			if strings.Contains(" "+context+" ", " "+c+" ") {
				return v, true
			}
		}
	}
	return "", false
}

// docValueMatches compares a documented default with a resolved value; it
// reports comparable false when the text is prose ("all devices").
func docValueMatches(def string, v reflect.Value) (ok, comparable bool) {
	switch x := v.Interface().(type) {
	case Duration:
		d, err := ParseDuration(def)
		return d == x, err == nil
	case Dist:
		return docDistMatches(def, x)
	case Diurnal:
		return def == x.Name, def == "flat"
	case *bool, Rate, []int, []string, []float64, ModelRef, HardwareOverrides:
		return false, false
	}
	switch v.Kind() {
	case reflect.Float64, reflect.Int, reflect.Uint64:
		f, err := strconv.ParseFloat(def, 64)
		got, _ := strconv.ParseFloat(fmt.Sprint(v.Interface()), 64)
		return f == got, err == nil
	case reflect.String:
		return def == v.String(), regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`).MatchString(def) && def != "required" && def != "none"
	case reflect.Bool:
		return def == fmt.Sprint(v.Bool()), def == "true" || def == "false"
	}
	return false, false
}

// docDistMatches reads "lognormal median 300ms p99 2s" or "fixed 1".
func docDistMatches(def string, d Dist) (ok, comparable bool) {
	words := strings.Fields(def)
	if len(words) < 2 || !oneOf(words[0], DistKinds...) {
		return false, false
	}
	if words[0] == "fixed" {
		words = append([]string{"fixed", "value"}, words[1:]...)
	}
	want := Dist{Kind: words[0]}
	fields := map[string]*float64{"value": &want.Value, "mean": &want.Mean, "median": &want.Median, "p99": &want.P99}
	for i := 1; i+1 < len(words); i += 2 {
		dst, known := fields[words[i]]
		if !known {
			return false, false
		}
		if x, err := strconv.ParseFloat(words[i+1], 64); err == nil {
			*dst = x
		} else if dur, err := ParseDuration(words[i+1]); err == nil {
			*dst = dur.Seconds()
		} else {
			return false, false
		}
	}
	return want.Kind == d.Kind && want.Value == d.Value && want.Mean == d.Mean && want.Median == d.Median && want.P99 == d.P99, true
}

// TestDistBoundsMatchTheDocs: docs/scenarios.md said agent.steps is at most
// 1000 while resolution accepts up to distBounds' 10,000 (1000 is the
// simulator's cap on one session's draw): the bound stated beside each
// field must be the one resolution enforces.
func TestDistBoundsMatchTheDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		field string // as docs/scenarios.md names it
		path  string // a path resolution checks it at, for its kind
	}{
		{"`workloads[].agent.steps`", "workloads[0].agent.steps"},
	} {
		want := "at most " + humanize(distBounds[fieldDistKind(tt.path)].max)
		found := false
		for _, line := range strings.Split(string(doc), "\n") {
			if strings.HasPrefix(line, "| "+tt.field+" |") {
				found = true
				if !strings.Contains(line, want) {
					t.Errorf("docs/scenarios.md, %s: want %q (the bound resolution enforces) in\n%s", tt.field, want, line)
				}
			}
		}
		if !found {
			t.Errorf("docs/scenarios.md has no row for %s", tt.field)
		}
	}
}

// humanize writes a whole number with thousands separators, as the docs do.
func humanize(x float64) string {
	s := strconv.FormatFloat(x, 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
