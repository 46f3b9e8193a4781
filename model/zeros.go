package model

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// zeroMeansDefault lists the fields whose zero is not a value (a count, a
// degree, a period): the defaults pass (resolve_defaults.go) replaces a zero,
// so a zero written in the file is refused rather than silently replaced.
var zeroMeansDefault = map[string]bool{
	"seed": true, "horizon": true, "window": true, "output.request_sample_rate": true, "router_load_bound": true,
	"fleet.count": true, "fleet.replica.tp": true, "fleet.replica.per_instance": true,
	"fleet.replica.max_num_seqs": true, "fleet.replica.max_model_len": true,
	"fleet.replica.max_batched_tokens": true, "fleet.replica.kv_block_tokens": true, "fleet.replica.kv_memory_fraction": true,
	"fleet.autoscale.min": true, "fleet.autoscale.max": true, "fleet.autoscale.target": true, "fleet.autoscale.interval": true,
	"workloads[].arrivals.trace.time_scale": true, "workloads[].arrivals.trace.rate_scale": true,
	"ads.slots": true, "ads.bidders": true, "ads.ctr": true, "ads.position_decay": true,
	"training.every": true, "training.params": true, "training.active_params": true, "training.mfu": true, "training.instances": true,
	"training.half_life": true, "training.lend_below": true, "training.reclaim_above": true,
	"training.min_serving": true, "training.interval": true, "training.lora_rank": true,
	"training.micro_batch_tokens": true, "training.storage_gb_per_s": true, "training.checkpoint_every": true,
	// A hardware override of 0 would keep the fitted constant; for the
	// fixed costs 0 would be a value, so it is refused rather than ignored
	// (a tiny cost such as 1e-9 s says "none").
	"hardware.prefill_s": true, "hardware.layer_s": true, "hardware.collective_s": true,
	"hardware.hbm_frac": true, "hardware.kv_frac": true, "hardware.gemm_scale": true, "hardware.attn_scale": true,
	"hardware.link_frac": true, "hardware.gemm_efficiency": true,
}

// zeroAllowedRange gives, for the fields of zeroMeansDefault whose range
// the resolver checks (resolve.go), the values it allows, so that a zero
// refused says what to write: "leave the field out" alone read as if a zero
// count asked for the default, and named no value that would run.
var zeroAllowedRange = map[string]string{
	"seed":                             "1 to 2^63-1",
	"fleet.count":                      fmt.Sprintf("1 to %d", MaxInstances),
	"fleet.autoscale.min":              "1 to fleet.count",
	"fleet.replica.max_num_seqs":       "1 to 4096",
	"fleet.replica.kv_block_tokens":    "1 to 4096",
	"fleet.replica.max_batched_tokens": fmt.Sprintf("1 to %d", 1<<20),
	"router_load_bound":                "1 to 100",
	"ads.bidders":                      "1 to 1000",
	"horizon":                          "1s to " + MaxHorizon.String(),
	"window":                           "1s up to the horizon",
	"output.request_sample_rate":       "more than 0, at most 1",
	"fleet.replica.kv_memory_fraction": "above 0, at most 1",
	"training.lora_rank":               "1 to 4096",
	"training.storage_gb_per_s":        "above 0, at most 10000 GB/s",
	"training.mfu":                     "above 0, at most 1",
	"training.every":                   "1h to " + MaxHorizon.String(),
	"training.interval":                "at least 1s",
	"ads.slots":                        "1 to 100",
	"ads.ctr":                          "above 0, at most 1",
	"ads.position_decay":               "above 0, at most 1",
}

// zeroAllowed is what a field of zeroMeansDefault allows in place of a
// zero: its range where zeroAllowedRange has it, else a value above zero,
// which every field there takes (a zero is its default's marker).
func zeroAllowed(key string) string {
	if r, ok := zeroAllowedRange[key]; ok {
		return r
	}
	return "a value above 0"
}

// zeroPriceWasUnset lists the price fields whose zero builds before
// this one read as "not given" (the catalog's price): they were plain
// numbers, and the optimizer wrote fleet.price_usd_per_hour: 0 for
// candidates of another instance type. They are pointers now, so a 0 in a
// file is a price (capacity already paid for, or free), and only a stored
// sweep's 0 is read as it ran (ZeroPriceMeantDefault).
var zeroPriceWasUnset = map[string]bool{
	"fleet.price_usd_per_hour": true, "training.price_usd_per_hour": true,
}

// emptyMeansDefault lists the lists the defaults pass fills when they are
// empty, each with what to write instead: an empty list written in the
// file names nothing, so it is refused rather than read as the default,
// which for ads.workloads is its opposite (every agent workload). The
// decoded value cannot tell (diurnal: [] decodes as no profile), so the
// file's node does.
var emptyMeansDefault = map[string]string{
	"ads.workloads": "an empty list names no workload: list the agent workloads that show ads, or leave the field out for every agent workload " +
		"(for no ads, leave ads out or set it to null: ads: null, or --set ads=null)",
	"workloads[].arrivals.diurnal": "an empty list is no profile: write flat, default or 24 hourly multipliers, or leave the field out for flat",
	"fleet.replica.context_buckets": "an empty list compiles no shape: list the token lengths to compile, " +
		"or leave the field out (or write null) for powers of two from 128",
	"fleet.replica.sequence_buckets": "an empty list compiles no shape: list the token lengths to compile, " +
		"or leave the field out (or write null) for powers of two from 128",
}

// EmptyListMeantDefault reports whether an empty list at path (an
// override path, as workloads[chat].arrivals.diurnal) is one that builds
// before this refusal read as the field's default, as they read null (an
// empty list decodes as no list): a sweep those builds stored, the
// optimizer's with context_buckets: [] off the Neuron family among them,
// ran with the default there, so its stored [] is read as null.
func EmptyListMeantDefault(path string) bool {
	_, ok := emptyMeansDefault[fieldKey(path)]
	return ok
}

// ZeroPriceMeantDefault reports whether a 0 at path (an override path, as
// fleet.price_usd_per_hour) is one that earlier builds read as "not
// given", the catalog's price: the optimizer stored
// fleet.price_usd_per_hour: 0 for candidates of another instance type, and
// they ran at the catalog's price.
func ZeroPriceMeantDefault(path string) bool {
	return zeroPriceWasUnset[fieldKey(path)]
}

// fieldKey is the key of an override path's field in the tables above
// (workloads[chat].arrivals.diurnal: workloads[].arrivals.diurnal; a
// pool's field as the fleet's), "" for a path that does not parse.
func fieldKey(path string) string {
	segs, err := parsePath(path)
	if err != nil {
		return ""
	}
	key, _ := strings.CutPrefix(schemaPath(segs), "pools[].")
	return key
}

// checkExplicitZeros reports each field of zeroMeansDefault that the
// file sets to zero, and each of emptyMeansDefault it sets to [], at its line.
func checkExplicitZeros(sc *Scenario, src *Source) Errors {
	var errs Errors
	walkFields(reflect.ValueOf(sc).Elem(), "", "", func(path, schema string, v reflect.Value) {
		key, _ := strings.CutPrefix(schema, "pools[].") // a pool's fleet is a fleet
		if zeroMeansDefault[key] && v.IsZero() && src.given(path) {
			errs = append(errs, src.errorf(path, "0 is not a value here (allowed: %s): leave the field out for its default (docs/scenarios.md)", zeroAllowed(key)))
		}
		if msg, ok := emptyMeansDefault[key]; ok && src.emptyList(path) {
			errs = append(errs, src.errorf(path, "%s", msg))
		}
	})
	return errs
}

// emptyList reports whether the file writes [] for a field (through
// anchors, aliases and merges).
func (s *Source) emptyList(path string) bool {
	n := s.node(path)
	if n == nil {
		return false
	}
	seq, ok := s.anchors.resolve(n).(*ast.SequenceNode)
	return ok && len(seq.Values) == 0
}

// walkFields calls f with the dotted path (workloads[1].name), the schema
// path (workloads[].name) and the value of every YAML-tagged field and list
// element reachable from v.
func walkFields(v reflect.Value, path, schema string, f func(path, schema string, v reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkFields(v.Elem(), path, schema, f)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			for i := 0; i < v.Len(); i++ {
				p := fmt.Sprintf("%s[%d]", path, i)
				f(p, schema+"[]", v.Index(i))
				walkFields(v.Index(i), p, schema+"[]", f)
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			name := strings.Split(sf.Tag.Get("yaml"), ",")[0]
			if !sf.IsExported() || name == "" || name == "-" {
				continue
			}
			p, s := joinPath(path, name), joinPath(schema, name)
			f(p, s, v.Field(i))
			walkFields(v.Field(i), p, s, f)
		}
	}
}

// given reports whether the file gives a field a value: present and not
// null (null, like leaving the field out, asks for the default; the
// optimizer resets fields that way), through anchors, aliases and merges.
func (s *Source) given(path string) bool {
	n := s.node(path)
	if n == nil {
		return false
	}
	_, null := s.anchors.resolve(n).(*ast.NullNode)
	return !null
}

// Given is given for readers of other files that share the scenarios'
// YAML (a forecast): whether the file gives the field a value, through
// anchors, aliases and merges as the decoder reads them.
func (s *Source) Given(path string) bool { return s.given(path) }
