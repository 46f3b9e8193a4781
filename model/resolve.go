package model

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/model/llm"
)

// Catalog supplies the hardware facts a scenario's defaults and checks need.
// Package model knows no hardware; the caller wires in hw's catalog (see
// sim.Catalog). Instance errors should list the known names.
type Catalog interface {
	Instance(name string) (InstanceFacts, error)
}

// InstanceFacts is what scenario resolution needs to know about an instance type.
type InstanceFacts struct {
	Name              string
	Family            string  // neuron | gpu
	Devices           int     // devices a TP degree counts (NeuronCores or GPUs)
	DeviceMemoryBytes float64 // HBM per device
	TPDegrees         []int   // supported tensor-parallel degrees
	// PriceUSDPerHour by pricing model ("on-demand", "reserved"); a missing
	// entry means the catalog has no such price.
	PriceUSDPerHour map[string]float64
	Schedulers      []string // the schedulers that run on it, its default first
	// WeightFormats are the weight formats its step family runs (nil: any),
	// and ExpertWeightFormats those it runs an MoE model's experts in.
	WeightFormats, ExpertWeightFormats []llm.DType
	// ComputeFormats are the formats its devices have a peak for, which
	// precision.activations may name (nil: any).
	ComputeFormats []llm.DType
	// Compiled says whether its step family runs ahead-of-time compiled
	// graphs (Neuron), whose replicas keep every layer's whole KV context
	// (WindowedKV).
	Compiled bool
	// Held is a shard as its chips' memory holds it (formats a step family
	// converts at load, such as Trainium2's 4-bit experts to bf16; not the
	// formats it only computes in, such as NeuronCore-v2's int8 weights);
	// nil: as given. A format the family does not run is refused elsewhere
	// (WeightFormats), so it returns sh then.
	Held func(sh llm.Shard) llm.Shard
}

// HeldShard is sh as the instance's chips hold it in memory (Held, or sh
// itself): what the load's memory check, the simulator and validate's KV
// sizing all count.
func (f InstanceFacts) HeldShard(sh llm.Shard) llm.Shard {
	if f.Held == nil {
		return sh
	}
	return f.Held(sh)
}

// Limits on sizes, to refuse absurd input before it allocates or runs forever.
const (
	MaxHorizon   = 366 * Day
	MaxInstances = 100_000
	MaxWorkloads = 64
	// MaxVariants bounds a scenario's variants: each is a whole run, so
	// 256 what-ifs is more than a comparison can be read from, and 20,000
	// loaded for minutes before the first ran.
	MaxVariants = 256
	// MaxTrainingQuota bounds training.quota: a forecast's trough slice owes
	// at most slices (24) times its own share of a day's retrain.
	MaxTrainingQuota = 1000
)

// Resolve fills every default in place and validates the result against the
// catalogs; it returns every problem found, each located in the source.
func Resolve(sc *Scenario, src *Source, cat Catalog) Errors {
	r := &resolver{sc: sc, src: src, cat: cat}
	r.run()
	return r.errs
}

type resolver struct {
	sc                 *Scenario
	src                *Source
	cat                Catalog
	errs               Errors
	arch               llm.Arch
	inst               InstanceFacts
	haveArch, haveInst bool
	// bucketConflict: enable_bucketing false was given with explicit
	// buckets other than its single shapes (found by the defaults pass).
	bucketConflict bool
	// prefix is prepended to the fields of errors: a pool's resolver
	// (pools.go) reports pools[i].fleet...; pools are those resolvers.
	prefix string
	pools  []*resolver
}

// stored says whether the scenario was read back from the store
// (LoadStored), whose bounds on text added since it ran only warn.
func (r *resolver) stored() bool { return r.src != nil && r.src.stored }

// bad records a problem; only the first for a field, the most basic (a
// NaN is reported as such, not as also out of range).
func (r *resolver) bad(field, format string, args ...any) {
	r.badBecause(field, "", format, args...)
}

// badBecause is bad for a problem that cause, another field, makes (a
// price required by pricing: owned): FieldError.Cause.
func (r *resolver) badBecause(field, cause, format string, args ...any) {
	if r.prefix != "" && field != "" {
		field = r.prefix + field
	}
	if r.prefix != "" && cause != "" {
		cause = r.prefix + strings.ReplaceAll(cause, ",", ","+r.prefix)
	}
	for _, e := range r.errs {
		if field != "" && e.Field == field {
			return
		}
	}
	e := FieldError{File: "scenario", Field: field, Msg: fmt.Sprintf(format, args...), Cause: cause}
	if r.src != nil {
		e.File = r.src.File
		e.Line, e.Col = r.src.Place(field, cause)
	}
	r.errs = append(r.errs, e)
}

// run resolves in passes: look up the catalog entries, fill the defaults,
// then validate what results. No pass asks whether a field appeared in the
// YAML, so a scenario built in Go resolves as its YAML does.
func (r *resolver) run() {
	r.checkFinite()
	r.model()
	r.instance()
	r.defaults()
	r.top()
	r.precision()
	r.fleet()
	r.poolChecks()
	r.routing()
	r.router()
	r.workloads()
	r.ads()
	r.training()
	r.hardware()
	r.variants()
	r.headsFit()
	r.memoryFit()
}

// headsFit checks that the serving stack a replica stands for can shard
// the attention heads at its TP degree. vLLM (scheduler vllm, on any chip)
// requires the query heads divisible by the TP degree, and the KV heads
// divisible by it or dividing it (then replicated). On a GPU the other
// schedulers stand for TensorRT-LLM (static batches, in-flight batching),
// which gives each GPU heads / TP query heads and ceil(kv_heads / TP) KV
// heads (NVIDIA/TensorRT-LLM tensorrt_llm/layers/attention.py, Attention):
// the query heads must divide too, the KV heads are replicated past their
// number as llm.Shard counts them. So no GPU stack runs heads the degree
// does not divide. On Neuron the per-device arithmetic (llm.Shard) pads
// them, as transformers-neuronx does; NxD Inference, Trainium2's stack,
// requires them divisible, which runner.HeadsNotes says, since this
// package cannot tell the chips apart.
func (r *resolver) headsFit() {
	rp := r.sc.Fleet.Replica
	tp := rp.TP
	vllm := rp.Scheduler == "vllm"
	if !r.haveArch || tp < 1 || !(vllm || (r.haveInst && r.inst.Family == "gpu")) {
		return
	}
	a := r.arch
	stack := "vLLM requires it"
	if !vllm {
		stack = "TensorRT-LLM, which a GPU's " + rp.Scheduler + " scheduler stands for, requires it as vLLM does"
	}
	if a.Heads%tp != 0 {
		r.badBecause("fleet.replica.tp", "model,fleet.replica.scheduler", "%s has %d attention heads, not divisible by tp %d (%s); use a tp that divides %d", a.Name, a.Heads, tp, stack, a.Heads)
	} else if vllm && a.KVHeads%tp != 0 && tp%a.KVHeads != 0 {
		r.badBecause("fleet.replica.tp", "model,fleet.replica.scheduler", "%s has %d KV heads: tp %d must divide them or be a multiple of them (vLLM replicates KV heads only then)", a.Name, a.KVHeads, tp)
	}
}

func (r *resolver) top() {
	sc := r.sc
	if strings.TrimSpace(sc.Name) == "" {
		r.bad("name", "required: a short name for the scenario")
	} else if msg := BadLabel(sc.Name); msg != "" {
		r.bad("name", "%s", msg)
	}
	if msg := BadDescription(sc.Description); msg != "" && !r.stored() {
		r.bad("description", "%s", msg)
	}
	sc.Description = VisibleText(sc.Description)
	if sc.Seed > math.MaxInt64 { // the store keeps seeds as BIGINT; goccy also turns 2^64 into 2^63
		r.bad("seed", "out of range (allowed: 1 to 2^63-1 = %d)", int64(math.MaxInt64))
	}
	if sc.Horizon < Second || sc.Horizon > MaxHorizon {
		// Under a second no window fits (a window is 1s at least), and the
		// default one was then blamed for a horizon nobody could use.
		r.bad("horizon", "%v is out of range (allowed: 1s to %v)", sc.Horizon, MaxHorizon)
	}
	if sc.Window < Second {
		r.bad("window", "%v is out of range (allowed: 1s up to the horizon %v)", sc.Window, sc.Horizon)
	} else if sc.Horizon >= Second && sc.Window > sc.Horizon { // a horizon out of range has its own error
		// Most often a horizon shortened on the command line under the
		// scenario's window: say how to shorten both.
		r.badBecause("window", "horizon", "%v is longer than the horizon %v (allowed: 1s up to the horizon); shorten it with the horizon, e.g. --set window=%v",
			sc.Window, sc.Horizon, max(Second, sc.Horizon))
	} else if sc.Horizon/sc.Window > 1_000_000 {
		r.badBecause("window", "horizon", "%v gives %d windows over %v; use a window of at least %v", sc.Window, sc.Horizon/sc.Window, sc.Horizon, sc.Horizon/1_000_000)
	}
	if rate := sc.Output.RequestSampleRate; rate < 0 || rate > 1 {
		r.bad("output.request_sample_rate", "%g is out of range (allowed: more than 0, at most 1)", rate)
	}
}

func (r *resolver) variants() {
	if len(r.sc.Variants) > MaxVariants {
		r.bad("variants", "%d variants; at most %d (split them over several scenario files)", len(r.sc.Variants), MaxVariants)
		return
	}
	seen := map[string]bool{}
	for i, v := range r.sc.Variants {
		p := fmt.Sprintf("variants[%d]", i)
		if v.Name == "" || strings.ContainsAny(v.Name, " /") {
			r.bad(p+".name", "required: a short name without spaces or slashes")
		} else if msg := BadLabel(v.Name); msg != "" {
			r.bad(p+".name", "%s", msg)
		} else if seen[v.Name] {
			r.bad(p+".name", "duplicate variant %q", v.Name)
		}
		if msg := BadDescription(v.Description); msg != "" && !r.stored() {
			r.bad(p+".description", "%s", msg)
		}
		r.sc.Variants[i].Description = VisibleText(v.Description)
		seen[v.Name] = true
		if len(v.Set) == 0 {
			r.bad(p+".set", "required: the fields this variant changes, e.g. {fleet.instance: p5.48xlarge}")
		}
		ovs, err := v.Overrides()
		if err != nil {
			r.bad(p+".set", "%v", err)
		}
		for _, o := range ovs {
			if strings.HasPrefix(o.Path, "variants") {
				r.bad(p+".set", "a variant cannot change variants")
			} else if o.Path == "name" {
				// Its run is named SCENARIO/VARIANT, which replaced
				// this set's name without a word (and without a check).
				r.bad(p+".set", "name: a variant's runs are named %s/%s; rename the variant instead", shownName(r.sc), v.Name)
			} else if err := VariantSetter(v.Name).Check(o.Path, o.Value); err != nil {
				// Here, at the set's line: applied, an optional block's
				// value (ads: 3) was refused with no line.
				r.bad(p+".set", "%s: %v", o.Path, err)
			}
		}
	}
}

// shownName is a scenario's name for a message, "SCENARIO" when it has none.
func shownName(sc *Scenario) string {
	if strings.TrimSpace(sc.Name) == "" {
		return "SCENARIO"
	}
	return sc.Name
}

func (r *resolver) model() {
	m := &r.sc.Model
	switch {
	case m.Inline != nil:
		// Each problem at its field's line (a missing field at the
		// model's): joined, the second and later had no place.
		ps := m.Inline.Problems()
		for _, p := range ps {
			r.bad("model."+p.Field, "%s", p.Detail())
		}
		// The name heads the FLEET line and the warnings and is stored
		// with each run, which `aiecon show` prints again: held to the
		// rules of every other name, an escape in it cannot rewrite the
		// terminal of whoever views the run.
		if msg := BadLabel(m.Inline.Name); msg != "" {
			r.bad("model.name", "%s", msg)
			return
		}
		if len(ps) > 0 {
			return
		}
		r.arch, r.haveArch = *m.Inline, true
	case m.Name == "":
		r.bad("model", "required: a catalog name (%s) or an inline architecture", strings.Join(llm.Names(), ", "))
	default:
		a, err := llm.Lookup(m.Name)
		if err != nil {
			if h := llm.QuantisedHint(m.Name); h != "" {
				err = fmt.Errorf("%w; %s", err, h)
			}
			r.bad("model", "%v", err)
			return
		}
		r.arch, r.haveArch = a, true
	}
}

// Arch returns the architecture a resolved scenario serves.
func (sc *Scenario) Arch() (llm.Arch, error) { return sc.Model.Arch() }

// precision refuses formats aiecon cannot run (defaults has read the other
// spellings of each as its name): an unknown or unmodelled format, a
// weight-only format for activations or the KV cache, int8 compute, and
// int4 weights beside fp8 compute (W4A8).
func (r *resolver) precision() {
	p := &r.sc.Precision
	for _, f := range []struct {
		name string
		v    *llm.DType
	}{{"precision.weights", &p.Weights}, {"precision.expert_weights", &p.ExpertWeights}, {"precision.activations", &p.Activations}, {"precision.kv_cache", &p.KVCache}} {
		switch {
		case *f.v == "" && f.name == "precision.expert_weights": // the weights' format
		case f.v.WeightOnly() && f.name != "precision.weights" && f.name != "precision.expert_weights":
			r.bad(f.name, "%s is a weight format only (4-bit weight-only quantisation); set it as precision.weights", *f.v)
		case f.v.Valid():
		case llm.UnmodelledFormat(string(*f.v)):
			hint := ""
			if strings.EqualFold(string(*f.v), "mxfp4") && (f.name == "precision.weights" || f.name == "precision.expert_weights") {
				hint = "; GPT-OSS's MXFP4 experts, dequantised inside the GEMM on Hopper and Ampere, are precision.expert_weights: int4 within 3% of their bytes"
			}
			r.bad(f.name, "%q is not a format aiecon models (allowed: %s; docs/model.md, \"Formats\")%s", *f.v, llm.AllowedDTypes(), hint)
		default:
			r.bad(f.name, "unknown dtype %q (allowed: %s)", *f.v, llm.AllowedDTypes())
		}
	}
	if p.Activations == llm.INT8 {
		r.bad("precision.activations", "int8 is a storage format here; compute in bf16, fp16, fp8 or fp32")
	}
	for _, w := range []struct {
		field string
		d     llm.DType
	}{{"precision.weights", p.Weights}, {"precision.expert_weights", p.ExpertWeights}} {
		if w.d.WeightOnly() && p.Activations != llm.BF16 && p.Activations != llm.FP16 {
			r.badBecause("precision.activations", w.field, "%s weights (%s) compute in bf16 or fp16 (W4A16); aiecon does not model them beside %s activations",
				w.d, w.field, p.Activations)
			break
		}
	}
	if p.ExpertWeights != "" && !r.anyMoE() {
		r.badBecause("precision.expert_weights", "model", "is the format of a mixture of experts' routed experts, and no model of the scenario is one (%s); set precision.weights",
			r.sc.Model.Name)
	}
}

// anyMoE reports whether the scenario's model or a pool's is a mixture of
// experts (when the models resolved).
func (r *resolver) anyMoE() bool {
	if !r.haveArch || r.arch.IsMoE() {
		return true
	}
	for _, sub := range r.pools {
		if !sub.haveArch || sub.arch.IsMoE() {
			return true
		}
	}
	return false
}

// catalogSpotDiscount is the discount the catalog's dated spot quote for
// the fleet's instance implies against its on-demand price (0 for a quote at
// or above it: the fleet pays on-demand). ok is false where there is no
// quote, or the scenario sets its own base price, which a quote of the
// catalog's cannot be compared with: a discount no source gives is unknown,
// and the scenario must state its own.
func (r *resolver) catalogSpotDiscount() (discount float64, ok bool) {
	spot, ok1 := r.inst.PriceUSDPerHour["spot"]
	od, ok2 := r.inst.PriceUSDPerHour["on-demand"]
	if !r.haveInst || !ok1 || !ok2 || od <= 0 || r.sc.Fleet.PriceUSDPerHour != nil {
		return 0, false
	}
	return max(0, 1-spot/od), true
}

// spotDiscountFromCatalog sets an unset spot discount from the catalog's
// quote, or says why it cannot.
func (r *resolver) spotDiscountFromCatalog(s *Spot) {
	if d, ok := r.catalogSpotDiscount(); ok {
		s.Discount = d
		return
	}
	switch {
	case !r.haveInst:
		// The instance's own error stands; nothing to add.
	case r.sc.Fleet.PriceUSDPerHour != nil:
		r.badBecause("fleet.spot.discount", "fleet.pricing,fleet.price_usd_per_hour", "required with fleet.price_usd_per_hour: the fraction off that price that spot capacity pays (0 if the price is already the spot price)")
	default:
		r.badBecause("fleet.spot.discount", "fleet.pricing,fleet.instance", "required: the catalog has no dated spot quote for %s (`aiecon hw show %s`), and a discount no source gives is unknown; set the fraction off on-demand you expect to pay",
			r.sc.Fleet.Instance, r.sc.Fleet.Instance)
	}
}

// knownPricings lists the pricing models a catalog instance has a price for.
func knownPricings(prices map[string]float64) string {
	var ks []string
	for k := range prices {
		ks = append(ks, k)
	}
	if _, ok := prices["on-demand"]; ok && !slices.Contains(ks, "spot") {
		ks = append(ks, "spot (with fleet.spot.discount)") // on-demand minus the scenario's discount
	}
	if len(ks) == 0 {
		return "no price at all"
	}
	slices.Sort(ks)
	return strings.Join(ks, ", ")
}

func oneOf(v string, allowed ...string) bool { return slices.Contains(allowed, v) }

// instance looks up the fleet's instance type in the catalog.
func (r *resolver) instance() {
	f := &r.sc.Fleet
	if f.Instance == "" {
		r.bad("fleet.instance", "required: an instance type (see `aiecon hw list`)")
	} else if inst, err := r.cat.Instance(f.Instance); err != nil {
		r.bad("fleet.instance", "%v", err)
	} else {
		r.inst, r.haveInst = inst, true
	}
}

func (r *resolver) fleet() {
	f := &r.sc.Fleet
	if f.Count < 1 || f.Count > MaxInstances {
		r.bad("fleet.count", "%d is out of range (allowed: 1 to %d)", f.Count, MaxInstances)
	}
	if !oneOf(f.Pricing, "on-demand", "capacity-block", "reserved", "spot", "owned") {
		r.bad("fleet.pricing", "unknown pricing %q (allowed: on-demand, capacity-block, reserved, spot, owned)", f.Pricing)
	}
	r.price("fleet.price_usd_per_hour", f.PriceUSDPerHour)
	if s := f.Spot; s != nil && f.Pricing == "spot" {
		if s.Discount == spotFromCatalog {
			r.spotDiscountFromCatalog(s)
		} else if s.Discount < 0 || s.Discount >= 1 {
			r.bad("fleet.spot.discount", "%g is out of range (allowed: 0 to below 1)", s.Discount)
		}
		if s.InterruptionsPerHour < 0 || s.InterruptionsPerHour > 60 {
			r.bad("fleet.spot.interruptions_per_hour", "%g is out of range (allowed: 0 to 60)", s.InterruptionsPerHour)
		}
		if s.Recovery < 0 {
			r.bad("fleet.spot.recovery", "must not be negative")
		}
	} else if f.Spot != nil {
		r.bad("fleet.spot", "only meaningful with pricing: spot")
	}
	if f.Pricing == "owned" && f.PriceUSDPerHour == nil {
		r.badBecause("fleet.price_usd_per_hour", "fleet.pricing", "required with pricing: owned: what an owned server costs its owner per hour (depreciation, power, facility and operations) has no catalog figure; give it, e.g. --set %sfleet.price_usd_per_hour=N (USD per server-hour)", r.prefix)
	} else if r.haveInst && f.PriceUSDPerHour == nil {
		key := f.Pricing
		if key == "spot" {
			key = "on-demand"
		}
		if _, ok := r.inst.PriceUSDPerHour[key]; !ok {
			r.badBecause("fleet.pricing", "fleet.instance", "the catalog has no %s price for %s (it has: %s); choose fleet.pricing accordingly or set fleet.price_usd_per_hour%s",
				key, f.Instance, knownPricings(r.inst.PriceUSDPerHour), reservedTermWhy(key))
		}
	}
	if w := r.sc.Precision.Weights; r.haveInst && r.inst.WeightFormats != nil && w.Valid() && !slices.Contains(r.inst.WeightFormats, w) {
		r.badBecause("fleet.instance", "precision.weights", "%s does not run %s weights (precision.weights): aiecon models its chips' serving stacks with weights in %s",
			f.Instance, w, llm.JoinDTypes(r.inst.WeightFormats))
	}
	if e := r.sc.Precision.ExpertWeights; r.haveInst && r.haveArch && r.arch.IsMoE() && r.inst.ExpertWeightFormats != nil && e.Valid() && !slices.Contains(r.inst.ExpertWeightFormats, e) {
		r.badBecause("fleet.instance", "precision.expert_weights,model", "%s does not run %s experts (precision.expert_weights): aiecon models its chips' serving stacks with experts in %s",
			f.Instance, e, llm.JoinDTypes(r.inst.ExpertWeightFormats))
	}
	if a := r.sc.Precision.Activations; r.haveInst && r.inst.ComputeFormats != nil && a.Valid() && !slices.Contains(r.inst.ComputeFormats, a) {
		r.badBecause("fleet.instance", "precision.activations", "%s has no %s compute (precision.activations): aiecon prices its chip's compute in %s",
			f.Instance, a, llm.JoinDTypes(r.inst.ComputeFormats))
	}
	r.replica()
	r.autoscale()
}

// price refuses a price the scenario gives that is not one: negative,
// NaN or infinite. 0 is a price (capacity already paid for, or free); an
// absent price (nil) is the catalog's, checked by the caller.
func (r *resolver) price(field string, usd *float64) {
	if usd == nil {
		return
	}
	if v := *usd; v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		r.bad(field, "%g is not a price (allowed: 0 or more USD per instance-hour; 0 for capacity already paid for, or leave the field out for the catalog's price)", v)
	}
}

func (r *resolver) autoscale() {
	f := &r.sc.Fleet
	a := f.Autoscale
	if a == nil {
		return
	}
	if a.Min < 1 || a.Min > f.Count {
		r.badBecause("fleet.autoscale.min", pick(a.Min > f.Count, "fleet.count", ""), "%d is out of range (allowed: 1 to fleet.count %d)", a.Min, f.Count)
	}
	if a.Max < f.Count || a.Max > MaxInstances {
		r.badBecause("fleet.autoscale.max", pick(a.Max < f.Count, "fleet.count", ""), "%d is out of range (allowed: fleet.count %d to %d)", a.Max, f.Count, MaxInstances)
	}
	if !oneOf(a.Metric, "utilization", "queue") {
		r.bad("fleet.autoscale.metric", "unknown metric %q (allowed: utilization, queue)", a.Metric)
	}
	if a.Target <= 0 || (a.Metric == "utilization" && a.Target > 1) {
		r.bad("fleet.autoscale.target", "%g is out of range (utilization: above 0, at most 1; queue: above 0)", a.Target)
	}
	if a.Interval < Second {
		r.bad("fleet.autoscale.interval", "%v is too short (at least 1s)", a.Interval)
	}
	if a.ProvisionDelay < 0 {
		r.bad("fleet.autoscale.provision_delay", "%v must not be negative", a.ProvisionDelay)
	}
	if a.Cooldown < 0 {
		r.bad("fleet.autoscale.cooldown", "%v must not be negative", a.Cooldown)
	}
	if !(a.Tolerance >= 0 && a.Tolerance < 1) {
		r.bad("fleet.autoscale.tolerance", "%g is out of range (allowed: 0 to below 1, a fraction of the target; 0 scales on any deviation)", a.Tolerance)
	}
	if a.ScaleDownStabilization < 0 {
		r.bad("fleet.autoscale.scale_down_stabilization", "%v must not be negative", a.ScaleDownStabilization)
	}
}

func (r *resolver) replica() {
	rp := &r.sc.Fleet.Replica
	if r.haveInst && !slices.Contains(r.inst.Schedulers, rp.Scheduler) {
		r.badBecause("fleet.replica.scheduler", "fleet.instance", "scheduler %q does not run on %s (allowed: %s)", rp.Scheduler, r.inst.Name, strings.Join(r.inst.Schedulers, ", "))
	}
	r.replicaLayout()
	if rp.MaxNumSeqs < 1 || rp.MaxNumSeqs > 4096 {
		r.bad("fleet.replica.max_num_seqs", "%d is out of range (allowed: 1 to 4096)", rp.MaxNumSeqs)
	}
	neuron := rp.Scheduler == "neuron" || rp.Scheduler == "neuron-chunked" // compiled shapes
	if r.haveArch && (rp.MaxModelLen < 2 || rp.MaxModelLen > r.arch.MaxContext) {
		// Past the model's context: most often a --set of the model
		// under the file's max_model_len. Below 2 no call fits its one
		// prompt token and one output token: every output was cut to 0.
		cause := ""
		if rp.MaxModelLen > r.arch.MaxContext {
			cause = "model"
		}
		r.badBecause("fleet.replica.max_model_len", cause, "%d is out of range (allowed: 2, a prompt token and an output token, to the model's max context %d)", rp.MaxModelLen, r.arch.MaxContext)
	}
	r.maxBatchedTokens(rp)
	if rp.KVBlockTokens < 1 || rp.KVBlockTokens > 4096 {
		r.bad("fleet.replica.kv_block_tokens", "%d is out of range (allowed: 1 to 4096)", rp.KVBlockTokens)
	}
	if rp.MemoryReserve < 0 || rp.MemoryReserve > 0.9 {
		r.bad("fleet.replica.memory_reserve", "%g is out of range (allowed: 0 to 0.9)", rp.MemoryReserve)
	}
	if rp.KVMemoryFraction <= 0 || rp.KVMemoryFraction > 1 {
		r.bad("fleet.replica.kv_memory_fraction", "%g is out of range (allowed: above 0, at most 1)", rp.KVMemoryFraction)
	}
	if !oneOf(rp.Admission, AdmissionOnDemand, AdmissionReserveMax) {
		r.bad("fleet.replica.admission", "unknown policy %q (allowed: %s, %s)", rp.Admission, AdmissionOnDemand, AdmissionReserveMax)
	}
	r.neuronShapes(rp, neuron)
	if rp.Speculative != nil {
		r.speculative(rp)
	}
	if rp.QueueLimit < 0 {
		r.bad("fleet.replica.queue_limit", "must not be negative (0 = no limit)")
	}
	if rp.QueueTimeout < 0 {
		r.bad("fleet.replica.queue_timeout", "must not be negative (0 = never)")
	}
}

// replicaLayout checks the TP degree and the replicas per instance.
func (r *resolver) replicaLayout() {
	rp := &r.sc.Fleet.Replica
	if !r.haveInst {
		if rp.TP < 0 {
			r.bad("fleet.replica.tp", "must be positive")
		}
		return
	}
	if rp.TP > r.inst.Devices {
		r.badBecause("fleet.replica.tp", "fleet.instance", "%d exceeds the %d devices of %s", rp.TP, r.inst.Devices, r.inst.Name)
	} else if !slices.Contains(r.inst.TPDegrees, rp.TP) {
		r.badBecause("fleet.replica.tp", "fleet.instance", "%d is not a supported degree on %s (allowed: %s)", rp.TP, r.inst.Name, JoinInts(r.inst.TPDegrees))
	}
	if fit := r.inst.Devices / max(rp.TP, 1); rp.TP > 0 && rp.TP <= r.inst.Devices && (rp.PerInstance < 1 || rp.PerInstance > fit) {
		r.badBecause("fleet.replica.per_instance", "fleet.instance,fleet.replica.tp", "%d is out of range (allowed: 1 to %d replicas of tp %d on %s)", rp.PerInstance, fit, rp.TP, r.inst.Name)
	}
}

// speculative checks speculative decoding: a draft the catalog knows (or
// eagle), k in 1..16, an acceptance rate in [0, 1), a scheduler that prices it.
func (r *resolver) speculative(rp *Replica) {
	sp := rp.Speculative
	const p = "fleet.replica.speculative"
	switch sp.Draft {
	case "":
		r.bad(p+".draft", "required: a catalog model name for the draft model, or eagle")
	case "eagle":
	default:
		d, err := llm.Lookup(sp.Draft)
		switch {
		case err != nil:
			r.bad(p+".draft", "%v (or eagle for an EAGLE-style head)", err)
		case r.haveArch:
			r.draftFitsTarget(p+".draft", d)
		}
	}
	if sp.K < 1 || sp.K > 16 {
		r.bad(p+".k", "%d is out of range (allowed: 1 to 16 proposed tokens)", sp.K)
	}
	switch a := sp.Acceptance; {
	case a == nil:
		r.bad(p+".acceptance", "required: the probability that the target accepts each proposed token, 0 to below 1 (measured for the draft on the workload's prompts)")
	case math.IsNaN(*a) || *a < 0 || *a >= 1:
		r.bad(p+".acceptance", "%g is out of range (allowed: 0 to below 1)", *a)
	}
	if !oneOf(rp.Scheduler, "vllm", "neuron") {
		r.badBecause(p, "fleet.replica.scheduler", "speculative decoding runs with schedulers vllm and neuron, not %s", rp.Scheduler)
	}
}

// draftFitsTarget refuses a catalog draft model that cannot propose for the
// target r.arch. The target verifies the token ids the draft proposes, so
// both must share one vocabulary: vLLM's speculative decoding asserts equal
// vocab sizes of proposer and scorer (the v0 engine's
// vllm/spec_decode/spec_decode_worker.py, SpecDecodeWorker._vocab_size).
// Sizes are compared, as vLLM does: Qwen2.5's models under 7B pad theirs to
// 151,936, the larger ones to 152,064, so vLLM refused such a pair too,
// though they share a tokenizer. And a draft pays only by being cheaper per
// token than the target: the target itself, or a model with as many
// parameters active per token, proposes at the cost of decoding without
// it. Active parameters are compared, as a token's compute and weight
// reads follow them: a dense 14B draft for a mixture of experts of 30B with
// 3B active made decode slower. A draft must also be smaller in all: a
// mixture's batch reads most of its experts at each step, so one holding
// as many weights as the target costs as much.
func (r *resolver) draftFitsTarget(field string, d llm.Arch) {
	t := r.arch
	dTotal, dActive := d.Params()
	tTotal, tActive := t.Params()
	switch {
	case d.Name == t.Name:
		r.bad(field, "%s is the target model itself; a draft must be a smaller model of the same vocabulary (or eagle for an EAGLE-style head)", d.Name)
	case d.Vocab != t.Vocab:
		r.bad(field, "%s has a vocabulary of %d tokens and the target %s one of %d: the target verifies the token ids the draft proposes, so both need the same vocabulary (vLLM refuses a draft of another vocab size); use a smaller model of the target's family, or eagle", d.Name, d.Vocab, t.Name, t.Vocab)
	case dActive >= tActive:
		r.bad(field, "%s has %.2fB parameters active per token, not fewer than the target %s's %.2fB: proposing would cost as much per token as decoding without it; use a model of the same vocabulary with fewer active parameters, or eagle", d.Name, dActive/1e9, t.Name, tActive/1e9)
	case dTotal >= tTotal:
		r.bad(field, "%s has %.2fB parameters, not fewer than the target %s's %.2fB: a batch reads most of a mixture's experts at each step, so proposing would cost as much as decoding without it; use a smaller model of the same vocabulary, or eagle", d.Name, dTotal/1e9, t.Name, tTotal/1e9)
	}
}

// maxBatchedTokens checks the per-iteration token budget (vllm,
// neuron-chunked) or prefill segment (neuron, static).
func (r *resolver) maxBatchedTokens(rp *Replica) {
	if rp.MaxBatchedTokens == 0 && !r.haveArch {
		// Not given, and its default is the model's max_model_len: the
		// model's own error says what is wrong, not this field's.
		return
	}
	if rp.MaxBatchedTokens < 1 || rp.MaxBatchedTokens > 1<<20 {
		r.bad("fleet.replica.max_batched_tokens", "%d is out of range (allowed: 1 to %d)", rp.MaxBatchedTokens, 1<<20)
	} else if oneOf(rp.Scheduler, "vllm", "neuron-chunked") && rp.MaxBatchedTokens < rp.MaxNumSeqs {
		r.badBecause("fleet.replica.max_batched_tokens", "fleet.replica.max_num_seqs,fleet.replica.scheduler", "%d is below max_num_seqs %d: a full decode batch would not fit one iteration", rp.MaxBatchedTokens, rp.MaxNumSeqs)
	}
}

// neuronShapes checks the compiled shapes of the Neuron schedulers
// (neuron: whether the scheduler runs them; the defaults pass set them).
func (r *resolver) neuronShapes(rp *Replica, neuron bool) {
	if !neuron {
		if len(rp.ContextBuckets)+len(rp.SequenceBuckets) > 0 || rp.EnableBucketing != nil {
			r.badBecause("fleet.replica.context_buckets", "fleet.replica.scheduler", "buckets only apply to schedulers neuron and neuron-chunked")
		}
		return
	}
	if rp.MaxModelLen <= 0 {
		return
	}
	if r.bucketConflict {
		r.bad("fleet.replica.enable_bucketing", "false compiles one shape each; drop context_buckets and sequence_buckets")
		return
	}
	r.buckets("fleet.replica.context_buckets", rp.ContextBuckets, min(rp.MaxModelLen, rp.MaxBatchedTokens))
	r.buckets("fleet.replica.sequence_buckets", rp.SequenceBuckets, rp.MaxModelLen)
}

// bucketsAre reports whether the buckets are already the single shapes of
// bucketing off (a scenario resolved once before).
func (r *resolver) bucketsAre(rp *Replica) bool {
	return len(rp.ContextBuckets) == 1 && len(rp.SequenceBuckets) == 1 &&
		rp.ContextBuckets[0] == min(rp.MaxModelLen, rp.MaxBatchedTokens) && rp.SequenceBuckets[0] == rp.MaxModelLen
}

// PowerOfTwoBuckets returns lo, 2lo, 4lo, ... up to the first value >= hi, with
// the last bucket equal to hi (Neuron's automatic bucketing).
func PowerOfTwoBuckets(lo, hi int) []int {
	var out []int
	// b stops before doubling would overflow: max_model_len=9e18 once
	// looped forever here (FuzzLoadWithSet).
	for b := max(lo, 1); b < hi && b <= math.MaxInt/2; b *= 2 {
		out = append(out, b)
	}
	return append(out, hi)
}

func (r *resolver) buckets(field string, bs []int, need int) {
	for i, b := range bs {
		if b < 1 || (i > 0 && b <= bs[i-1]) {
			r.bad(field, "buckets must be positive and increasing, got %s", JoinInts(bs))
			return
		}
	}
	if bs[len(bs)-1] < need {
		// A --set raising max_model_len (or max_batched_tokens) past the
		// file's buckets: the need follows them.
		r.badBecause(field, "fleet.replica.max_model_len,fleet.replica.max_batched_tokens", "the largest bucket %d is below %d, so long requests would not fit", bs[len(bs)-1], need)
	}
	// A compiled shape longer than the model's context cannot run: a
	// bucket of 10^9 tokens padded every prompt to it, and the fleet read
	// as overloaded.
	if r.haveArch && bs[len(bs)-1] > r.arch.MaxContext {
		// A --set of a model with a shorter context (or of max_model_len,
		// which the default buckets follow).
		r.badBecause(field, "model,fleet.replica.max_model_len", "the largest bucket %d is past the model's max context %d", bs[len(bs)-1], r.arch.MaxContext)
	}
}

// JoinInts lists whole numbers as "1, 2, 4" (allowed TP degrees, say).
func JoinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func (r *resolver) router() {
	if !oneOf(r.sc.Router, "session-affinity", "least-outstanding", "round-robin", "power-of-two") {
		r.bad("router", "unknown router %q (allowed: session-affinity, least-outstanding, round-robin, power-of-two)", r.sc.Router)
	}
	if b := r.sc.RouterLoadBound; b < 1 || b > 100 {
		r.bad("router_load_bound", "%g is out of range (allowed: 1 to 100)", b)
	}
	if s := r.sc.RouterLoadSlack; s != nil && (*s < 0 || *s > maxRouterLoadSlack) {
		r.bad("router_load_slack", "%d is out of range (allowed: 0 to %d)", *s, maxRouterLoadSlack)
	}
}

// minHardwareFraction is the least fraction of a peak (hbm_frac, kv_frac,
// link_frac, gemm_efficiency) or factor on the calibrated efficiency
// (gemm_scale, attn_scale) a scenario may set: 0.1% describes no hardware
// worth simulating, and smaller ones run step times off the clock.
const minHardwareFraction = 0.001

func (r *resolver) hardware() {
	h := r.sc.Hardware
	for _, f := range []struct {
		name   string
		v, max float64
		unit   string
		min    float64 // a fraction or a factor of 0.001 describes no hardware, and would run times off the clock
	}{
		{"prefill_s", h.PrefillS, 1, " s", 0}, {"layer_s", h.LayerS, 1, " s", 0}, {"collective_s", h.CollectiveS, 1, " s", 0},
		{"hbm_frac", h.HBMFrac, 1, "", minHardwareFraction}, {"kv_frac", h.KVFrac, 1, "", minHardwareFraction},
		{"gemm_scale", h.GEMMScale, 4, "", minHardwareFraction}, {"attn_scale", h.AttnScale, 4, "", minHardwareFraction},
		{"link_frac", h.LinkFrac, 1, "", minHardwareFraction},
	} {
		if !(f.v >= 0 && f.v <= f.max) || (f.v > 0 && f.v < f.min) {
			allowed := fmt.Sprintf("above 0, at most %g%s", f.max, f.unit)
			if f.min > 0 {
				allowed = fmt.Sprintf("%g to %g", f.min, f.max)
			}
			r.bad("hardware."+f.name, "%g is out of range (allowed: %s)", f.v, allowed)
		}
	}
	if e := h.KVGroupExp; e != nil && !(*e >= 0 && *e <= 1) {
		r.bad("hardware.kv_group_exp", "%g is out of range (allowed: 0 to 1)", *e)
	}
	if h.Efficiency < 0 || h.Efficiency > 1 || (h.Efficiency > 0 && h.Efficiency < minHardwareFraction) {
		r.bad("hardware.gemm_efficiency", "%g is out of range (allowed: %g to 1)", h.Efficiency, minHardwareFraction)
	}
}

// heldAs says how the chips hold weights written in another format
// ("; int4 experts held as bf16 on this chip"), or "".
func heldAs(written, held llm.Shard) string {
	var parts []string
	if written.Weights != held.Weights {
		parts = append(parts, fmt.Sprintf("%s weights held as %s", written.Weights, held.Weights))
	}
	if written.Experts != "" && written.Experts != held.Experts {
		parts = append(parts, fmt.Sprintf("%s experts held as %s", written.Experts, held.ExpertDType()))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ") + " on this chip"
}

// proposerNote says that a speculative replica's weights include its
// proposer's.
func proposerNote(rp Replica) string {
	if rp.Speculative == nil {
		return ""
	}
	return ", with the " + rp.Speculative.Draft + " proposer"
}

// WindowedKV says whether a replica frees windowed layers' KV blocks beyond
// their window (llm.KVLayout): a paged GPU server does. aiecon keeps every
// layer's whole context for Neuron's compiled graphs (modelled with a cache
// per sequence slot; the public Neuron measurements, one sequence at a time
// for the windowed model among them, cannot tell whether a release frees
// such blocks) and for a replica that decodes speculatively (whose target
// and proposer caches it sizes together, per token).
func WindowedKV(compiled bool, rp Replica) bool { return !compiled && rp.Speculative == nil }

// weightsCause are the fields whose values make the weights not fit at the
// file's TP: a --set of the model or the instance, most often.
const weightsCause = "model,fleet.instance,precision.weights,precision.expert_weights,fleet.replica.memory_reserve,fleet.replica.speculative"

// staticKVCause are the fields whose values size a compiled replica's static
// KV cache against what the weights leave.
const staticKVCause = "fleet.replica.max_model_len,fleet.replica.prefix_caching,fleet.replica.scheduler,model,fleet.instance,fleet.replica.tp,precision.weights,precision.expert_weights,precision.kv_cache,fleet.replica.memory_reserve,fleet.replica.kv_memory_fraction,fleet.replica.speculative"

// memoryFit checks that the weights fit on a replica's devices with room for
// at least one full-length request's KV cache, and on a compiled replica
// with a static KV cache (ReplicaMemory.Slots) one in every slot.
func (r *resolver) memoryFit() {
	if !r.haveArch || !r.haveInst || len(r.errs) > 0 {
		return
	}
	sc := r.sc
	// The shard as the instance's chips hold it in memory (4-bit experts
	// as bf16 on Trainium2; NeuronCore-v2's int8 and fp8 weights stay
	// narrow), as the simulator counts it.
	written := sc.ShardOf(&sc.Fleet, r.arch)
	sh := r.inst.HeldShard(written)
	rp := sc.Fleet.Replica
	m, err := PlanReplicaMemory(r.arch, sh, rp, r.inst.DeviceMemoryBytes, r.inst.Compiled)
	if err != nil {
		return // an unknown draft is refused by replica()
	}
	if m.FreeBytes <= 0 {
		advice := "raise tp or use smaller weights"
		if rp.Speculative != nil {
			advice = "raise tp, use smaller weights or a smaller proposer"
		}
		r.badBecause("fleet.replica.tp", weightsCause, "%s weights (%.1f GB per device at tp %d%s%s) do not fit in the %.1f GB per device of %s left after its %.0f%% memory reserve (of %.1f GB); %s",
			r.arch.Name, m.WeightBytes/1e9, sh.TP, proposerNote(rp), heldAs(written, sh), r.inst.DeviceMemoryBytes*(1-rp.MemoryReserve)/1e9,
			r.inst.Name, 100*rp.MemoryReserve, r.inst.DeviceMemoryBytes/1e9, advice)
		return
	}
	if m.FitsOne() && !m.Fits() {
		r.badBecause("fleet.replica.max_num_seqs", staticKVCause, "prefix_caching is off, so %s's compiled graphs hold a static KV cache of max_num_seqs %d (compiled as %d) x max_model_len %d tokens (%.2f GB per device needed, %.2f GB left for it); lower max_num_seqs or max_model_len, raise tp, or turn prefix_caching on (the block KV layout, sized to the memory)",
			r.inst.Name, rp.MaxNumSeqs, m.Slots, rp.MaxModelLen, m.StaticUnits*m.UnitBytes(r.arch, rp)/1e9, m.KVBytes/1e9)
		return
	}
	if !m.Fits() {
		r.badBecause("fleet.replica.max_model_len", "model,fleet.instance,fleet.replica.tp,precision.weights,precision.expert_weights,precision.kv_cache,fleet.replica.memory_reserve,fleet.replica.kv_memory_fraction,fleet.replica.speculative", "%d tokens of KV cache do not fit beside the weights (%.2f GB per device needed, %.2f GB left for it); lower max_model_len or raise tp",
			rp.MaxModelLen, float64(m.NeedUnits)*m.UnitBytes(r.arch, rp)/1e9, m.KVBytes/1e9)
	}
}
