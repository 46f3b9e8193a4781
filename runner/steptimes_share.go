package runner

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/llm"
	"aiecon/sim"
)

// decodeLoad is the decode step the unpinned-constants note prices: batch
// sequences at a context of ctx tokens each, and the 99th-percentile
// context longCtx that one call brings into a padded batch; what says
// where the figures come from.
type decodeLoad struct {
	batch        float64
	ctx, longCtx int
	what         string
	// lost: the run's mean step is the one to price, but its lengths were
	// not stored (a run stored before the store kept them), so no share
	// can be given; unpinnedNote names the constants alone.
	lost bool
}

// runDecodeLoad is a run's mean decode step on its main fleet: the mean
// sequences in a running replica's batch (running_avg over replicas_up_avg)
// at the context halfway through a mean call's output (the mean prompt
// plus half the mean output). A run with pools mixes its fleets in those
// KPIs, and a run before its result has no means: both take
// scenarioDecodeLoad.
func runDecodeLoad(sc *model.Scenario, res *sim.Result) decodeLoad {
	if res == nil || len(sc.Pools) > 0 || len(res.Lengths) == 0 || res.Lengths[0].Calls == 0 {
		return scenarioDecodeLoad(sc)
	}
	batch, ok := res.MeanBatch()
	if !ok {
		return scenarioDecodeLoad(sc)
	}
	l := res.Lengths[0]
	ctx := (l.PromptMean + l.ContextMean) / 2
	return decodeLoad{batch: batch, ctx: max(int(math.Round(ctx)), 1), longCtx: int(math.Round(l.ContextP99)),
		what: fmt.Sprintf("this run's mean batch (%.1f sequences) and mean context (%s tokens)", batch, format.Thousands(int64(math.Round(ctx))))}
}

// scenarioDecodeLoad is a full batch (max_num_seqs) at the scenario's
// 99th-percentile context (scenarioLengths), as STEP TIMES EXTRAPOLATED
// reads a fleet before its run: an upper reach, not a mean.
func scenarioDecodeLoad(sc *model.Scenario) decodeLoad {
	n, ctx := sc.Fleet.Replica.MaxNumSeqs, scenarioLengths(sc, 0).Context
	return decodeLoad{batch: float64(n), ctx: ctx, longCtx: ctx,
		what: fmt.Sprintf("a full batch of %d at the scenario's 99th-percentile context (%s tokens)", n, format.Thousands(int64(ctx)))}
}

// stepPricer prices a decode step of the main fleet as its run does: its
// family's constants with the scenario's overrides, its GEMM efficiency,
// its resident shard.
type stepPricer struct {
	perf   *hw.Perf
	arch   llm.Arch
	sh     llm.Shard
	padded bool // Neuron's compiled decode: batch padded, every slot over the sequence bucket
	rp     model.Replica
}

func newStepPricer(sc *model.Scenario, s hw.Serving) (stepPricer, error) {
	inst, err := hw.InstanceByName(sc.Fleet.Instance)
	if err != nil {
		return stepPricer{}, err
	}
	cal, err := LoadCalibration(sc)
	if err != nil {
		return stepPricer{}, err
	}
	eff := cal.Eff
	if e := sc.Hardware.Efficiency; e > 0 {
		eff = hw.ConstantEfficiency(e)
	}
	sim.ApplyHardwareOverrides(&s, sc.Hardware)
	arch, err := sc.Model.Arch()
	if err != nil {
		return stepPricer{}, err
	}
	perf, err := hw.NewPerf(inst, sc.Fleet.Replica.TP, eff, s)
	if err != nil {
		return stepPricer{}, err
	}
	sh, err := perf.ResidentShard(sc.ShardOf(&sc.Fleet, arch))
	if err != nil {
		return stepPricer{}, err
	}
	rp := sc.Fleet.Replica
	padded := perf.Compiled() && (rp.Scheduler == "neuron" || rp.Scheduler == "neuron-chunked")
	return stepPricer{perf: perf, arch: arch, sh: sh, padded: padded, rp: rp}, nil
}

// decode splits a decode step of batch sequences at a context of ctx
// tokens by the constants that price it (hw.Perf.PricedBy). A padded step
// runs the batch padded to its power of two (at most max_num_seqs), every
// slot over the sequence bucket of ctx, as sim's Neuron schedulers price
// it; seq is that bucket (ctx where unpadded).
func (p stepPricer) decode(batch float64, ctx int) (total float64, by map[string]float64, seq int) {
	b := max(int(math.Round(batch)), 1)
	seq = ctx
	keys := b * ctx
	if p.padded {
		b = p.paddedBatch(batch)
		seq = seqBucket(p.rp.SequenceBuckets, ctx)
		keys = b * max(seq-1, 0)
	}
	ops := p.arch.DenseOps(nil, p.sh, b, b)
	ops = p.arch.DecodeAttentionOps(ops, p.sh, b, keys)
	total, by = p.perf.PricedBy(ops, p.arch.Layers, false)
	return total, by, seq
}

// paddedBatch is a mean batch as Neuron's compiled decode runs it: rounded,
// padded to a power of two, at most max_num_seqs.
func (p stepPricer) paddedBatch(batch float64) int {
	return min(llm.PadBatch(max(int(math.Round(batch)), 1)), max(p.rp.MaxNumSeqs, 1))
}

// seqBucket is the smallest of buckets at least n (the largest where none
// is), as sim's bucketFor; n itself where there are none.
func seqBucket(buckets []int, n int) int {
	if len(buckets) == 0 {
		return n
	}
	i, _ := slices.BinarySearch(buckets, n)
	return buckets[min(i, len(buckets)-1)]
}

// share is the fraction of total that names price.
func share(total float64, by map[string]float64, names []string) float64 {
	if !(total > 0) {
		return 0
	}
	var s float64
	for _, n := range names {
		s += by[n]
	}
	return s / total
}

// unpinnedNote says which of the constants pricing a fleet on chip no
// measurement of chip pins, and what share of a decode step (load) they
// price: those its family inherits from another's rows (hw.Serving.
// InheritedConstants: neuron-v3's kv_frac, kv_group_exp, collective_s and
// link_frac are neuron-v2's), and, where the chip's own rows are too few to
// cross-validate, hbm_frac, which prices the weights a step streams and
// was refitted to those rows' batches. THINLY FITTED alone read as "treat
// as estimates" with no size: on Trainium2 these carry most of a decode
// step at batch 16, where no row of the chip ran. Where the run's scheduler
// pads decode to Neuron's compiled shapes, it adds what one long call does
// to every slot of its batch. "" where the family inherits nothing.
func unpinnedNote(sc *model.Scenario, s hw.Serving, chip string, load decodeLoad) string {
	s.ScenarioSet = sc.Hardware.ConstantNamesSet()
	names, base, rows := s.InheritedConstants()
	if len(names) == 0 || load.ctx < 1 {
		return ""
	}
	p, err := newStepPricer(sc, s)
	if err != nil {
		return ""
	}
	total, by, seq := p.decode(load.batch, load.ctx)
	parts := pricedParts(total, by, names)
	if len(parts) == 0 {
		return ""
	}
	if load.lost { // which constants price a step at all is the same at any load: load's step tells
		return lostShareNote(s, chip, pricing(by, names), share(total, by, []string{"hbm_frac"}) > 0, base, rows)
	}
	what := load.what
	if p.padded {
		what += fmt.Sprintf(", padded to %d slots over the %s-token bucket", p.paddedBatch(load.batch), format.Thousands(int64(seq)))
	}
	out := fmt.Sprintf(" Of a decode step at %s, %s is priced by constants inherited from %s, fitted to %s: %s",
		what, pct(share(total, by, names)), base, rows, strings.Join(parts, ", "))
	thin := s.CoverageOf(chip) == hw.CoverageThin && !slices.Contains(s.ScenarioSet, "hbm_frac")
	h := share(total, by, []string{"hbm_frac"})
	if thin && h > 0 {
		out += fmt.Sprintf("; and %s by hbm_frac, fitted to %d %s rows at batches of %d to %d", pct(h), s.FittedRows, chip, s.FittedMinBatch, s.FittedMaxBatch)
	}
	out += fmt.Sprintf(". No %s measurement pins the inherited ones", chip)
	if thin && h > 0 {
		out += fmt.Sprintf(", nor hbm_frac past batch %d", s.FittedMaxBatch)
	}
	out += " (docs/calibration.md, \"Families\")."
	if p.padded && load.longCtx > load.ctx {
		lt, lby, lseq := p.decode(load.batch, load.longCtx)
		if lseq > seq {
			out += fmt.Sprintf(" Neuron's compiled decode attends every slot over the batch's sequence bucket, so one call at the "+
				"99th-percentile context (%s tokens) puts every slot on the %s bucket, where the step takes %.1fx as long and the inherited constants price %s.",
				format.Thousands(int64(load.longCtx)), format.Thousands(int64(lseq)), lt/total, pct(share(lt, lby, names)))
		}
	}
	return out
}

// lostShareNote is unpinnedNote for a stored run whose call lengths the
// store did not keep: the constants it inherits from base (fitted to
// rows), and hbm_frac where the chip's own rows are too few, named without
// the share of the run's mean decode step they price, which aiecon run
// gave when the run ended and which cannot be recomputed without them.
// names are the inherited constants that price a step; hbm whether
// hbm_frac does.
func lostShareNote(s hw.Serving, chip string, names []string, hbm bool, base, rows string) string {
	out := fmt.Sprintf(" Constants inherited from %s, fitted to %s, price part of every decode step: %s", base, rows, format.ListAnd(names))
	thin := s.CoverageOf(chip) == hw.CoverageThin && !slices.Contains(s.ScenarioSet, "hbm_frac")
	if thin && hbm {
		out += fmt.Sprintf("; and hbm_frac, fitted to %d %s rows at batches of %d to %d", s.FittedRows, chip, s.FittedMinBatch, s.FittedMaxBatch)
	}
	out += fmt.Sprintf(". No %s measurement pins the inherited ones (docs/calibration.md, \"Families\"). ", chip)
	return out + "The share of this run's mean decode step they price cannot be recomputed: the run was stored before the store " +
		"kept the lengths of the calls it served; aiecon run printed it when the run ended."
}

// pricing are those of names that price some of a step (by, as
// hw.Perf.PricedBy gives it), kv_group_exp with kv_frac, under which
// PricedBy keeps the two.
func pricing(by map[string]float64, names []string) []string {
	var out []string
	for _, n := range names {
		if by[n] > 0 || n == "kv_group_exp" && by["kv_frac"] > 0 {
			out = append(out, n)
		}
	}
	return out
}

// pricedParts are the shares of total that each of names prices, as
// "kv_frac and kv_group_exp 20%" (kv_group_exp multiplies the read kv_frac
// prices: hw.Perf.PricedBy keeps the two under kv_frac), leaving out those
// that price nothing of the step (layer_s held at 0).
func pricedParts(total float64, by map[string]float64, names []string) []string {
	var out []string
	for _, n := range names {
		if n == "kv_group_exp" || by[n] <= 0 {
			continue
		}
		label := n
		if n == "kv_frac" && slices.Contains(names, "kv_group_exp") {
			label = "kv_frac and kv_group_exp"
		}
		out = append(out, label+" "+pct(by[n]/total))
	}
	return out
}

// pct is a share as a whole percentage, "<1%" where it rounds to 0.
func pct(x float64) string {
	if x > 0 && x < 0.005 {
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}
