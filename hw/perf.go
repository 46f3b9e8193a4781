package hw

import (
	"errors"
	"fmt"
	"math"

	"aiecon/model/llm"
)

// Perf prices the operations of one replica: TP devices of one instance,
// a GEMM efficiency and the step family's constants (Serving). It is
// read-only after NewPerf, so one Perf may be shared by every replica of a
// fleet.
type Perf struct {
	Device  Device
	TP      int
	Eff     Efficiency
	Serving Serving

	family        stepFamily
	memBytesPerS  float64 // achieved HBM bandwidth on weights and activations
	attnBytesPerS float64 // achieved HBM bandwidth on KV-cache reads (KVFrac)
}

// NewPerf builds the model for a replica of tp devices on inst. It fails if
// tp is not a degree the chip supports, exceeds the instance's devices, or the
// serving constants are out of range or for another step family.
func NewPerf(inst *Instance, tp int, eff Efficiency, s Serving) (*Perf, error) {
	if inst == nil {
		return nil, errors.New("hw: NewPerf: nil instance")
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return nil, err
	}
	fam, err := stepFamilyByName(chip.StepFamily)
	if err != nil {
		return nil, fmt.Errorf("chip %s: %w", chip.Name, err)
	}
	devices := int(inst.Chips.Value) * chip.Devices()
	if !chip.SupportsTP(tp) {
		return nil, fmt.Errorf("instance %s: tp %d is not a degree %s supports (supported: %v)", inst.Name, tp, chip.Name, chip.TP.Degrees)
	}
	if tp > devices {
		return nil, fmt.Errorf("instance %s: tp %d exceeds its %d devices (%v chips x %d)", inst.Name, tp, devices, inst.Chips.Value, chip.Devices())
	}
	if eff == nil {
		return nil, fmt.Errorf("instance %s: nil efficiency (use a calibration profile or AssumedEfficiency)", inst.Name)
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("instance %s: %w", inst.Name, err)
	}
	if s.Family != "" && s.Family != chip.StepFamily {
		return nil, fmt.Errorf("instance %s: serving constants are for step family %q, the chip %s is %q", inst.Name, s.Family, chip.Name, chip.StepFamily)
	}
	d := DeviceOf(chip)
	return &Perf{Device: d, TP: tp, Eff: eff, Serving: s, family: fam,
		memBytesPerS: d.HBMBytesPerS * s.HBMFrac, attnBytesPerS: d.HBMBytesPerS * s.KVFrac}, nil
}

// ResidentShard is sh as this family runs it (int8 and fp8 weights priced
// as bf16 on NeuronCore-v2, fp8 weights multiplied in fp8 where the
// hardware can): the shard to build operation lists with. Memory budgets
// take HeldShard. A weight format the family does not run is a
// *WeightFormatError, naming the chip.
func (p *Perf) ResidentShard(sh llm.Shard) (llm.Shard, error) {
	r, err := p.family.resident(sh)
	if err != nil {
		return sh, fmt.Errorf("%s: %w", p.Device.Chip, err)
	}
	return r, nil
}

// HeldShard is sh as this family's device memory holds it: the shard to
// size weights and the KV cache with (NeuronCore-v2 keeps int8 and fp8
// weights narrow in memory though it prices their operations as bf16).
func (p *Perf) HeldShard(sh llm.Shard) (llm.Shard, error) {
	r, err := p.family.held(sh)
	if err != nil {
		return sh, fmt.Errorf("%s: %w", p.Device.Chip, err)
	}
	return r, nil
}

// Compiled reports whether the family runs ahead-of-time compiled graphs that
// pad prompts, decode batches and attention to shape buckets (Neuron).
func (p *Perf) Compiled() bool { return p.family.compiled() }

// OpSeconds is the time one device spends on op, times op.Count:
//
//	GEMM         max(FLOPs x pad / (peak[dtype] x min(1, eff(padded shape) x GEMMScale)), Bytes / (HBM bw x HBMFrac))
//	attention    the same with AttnScale and Bytes x reads / (HBM bw x KVFrac), reads = group^KVGroupExp in decode (kvReads)
//	memory       Bytes / (HBM bw x HBMFrac)
//	all-reduce   CollectiveS + 2(g-1)/g x Bytes / (link bandwidth per device x LinkFrac)  (ring; 0 for g <= 1)
//
// pad is the padded volume over batch x M x N x K (tile quantization, see
// Device). A dtype the device cannot run, or an efficiency <= 0, gives +Inf.
// It does not allocate.
func (p *Perf) OpSeconds(op llm.Op) float64 {
	if op.Count <= 0 {
		return 0
	}
	var s float64
	switch op.Kind {
	case llm.OpGEMM:
		s = max(p.computeSeconds(op), op.Bytes/p.memBytesPerS)
	case llm.OpAttention:
		s = max(p.computeSecondsAt(op, p.Serving.AttnScale), op.Bytes*kvReads(op, p.Serving.KVGroupExp)/p.attnBytesPerS)
	case llm.OpMemory:
		s = op.Bytes / p.memBytesPerS
	case llm.OpAllReduce:
		if op.Group > 1 {
			g := float64(op.Group)
			s = p.Serving.CollectiveS + 2*(g-1)/g*op.Bytes/(p.Device.LinkBytesPerS*p.Serving.LinkFrac)
		}
	default:
		return math.Inf(1)
	}
	return s * float64(op.Count)
}

// kvReads is how many times decode attention reads each KV head (see
// Serving.KVGroupExp): group^e, the group being the query heads that share a
// KV head on the device, which model/llm gives decode attention as its M; 1
// for any other op (a prefill's attention reads its tiles once per chunk).
func kvReads(op llm.Op, exp float64) float64 {
	if op.Name != "attn_decode" || op.M <= 1 || exp == 0 {
		return 1
	}
	return math.Pow(float64(op.M), exp)
}

// computeSeconds is the compute bound of one execution of a GEMM.
func (p *Perf) computeSeconds(op llm.Op) float64 { return p.computeSecondsAt(op, p.Serving.GEMMScale) }

// computeSecondsAt is the compute bound of one execution of a GEMM-shaped
// op whose kernel reaches `scale` times the calibrated efficiency.
func (p *Perf) computeSecondsAt(op llm.Op, scale float64) float64 {
	fop, eff := p.computeParts(op)
	e := min(1, eff*scale)
	if !(e > 0) {
		return math.Inf(1)
	}
	return fop / e
}

// IterationSeconds is the time of one scheduler iteration of a model with
// `layers` layers that encodes prompts or not: the fixed costs
// (Serving.FixedSeconds) plus its ops, run one after another on each device.
// It does not allocate.
func (p *Perf) IterationSeconds(ops []llm.Op, layers int, prefill bool) float64 {
	s := p.Serving.FixedSeconds(layers, prefill)
	for i := range ops {
		s += p.OpSeconds(ops[i])
	}
	return s
}

// OpWork is how long op, run op.Count times, keeps one device's two roofs
// busy: computeS is its FLOPs (unpadded: the useful work) at the peak of the
// dtype it runs in (Peak(op.DType), so an fp8 GEMM is measured against the
// fp8 peak it is priced at), and hbmS is the HBM bytes the step time charges
// at peak HBM bandwidth: a GEMM's or memory pass's Bytes, decode attention's
// times its KV re-reads (kvReads), and nothing for an all-reduce, whose
// payload crosses the chip-to-chip link, not HBM. sec is the op's own time
// (OpSeconds); each figure is capped at it, so that summed over an
// iteration neither exceeds the iteration's time: a utilisation built from
// them is at most 1. (The caps bind only where a roof is not what prices the
// op, e.g. the FLOPs of a memory pass.) It does not allocate.
func (p *Perf) OpWork(op llm.Op, sec float64) (computeS, hbmS float64) {
	if op.Count <= 0 {
		return 0, 0
	}
	n := float64(op.Count)
	if peak := p.Device.Peak(op.DType); peak > 0 {
		computeS = op.FLOPs * n / peak
	}
	switch op.Kind {
	case llm.OpGEMM, llm.OpMemory:
		hbmS = op.Bytes * n / p.Device.HBMBytesPerS
	case llm.OpAttention:
		hbmS = op.Bytes * kvReads(op, p.Serving.KVGroupExp) * n / p.Device.HBMBytesPerS
	}
	return min(computeS, sec), min(hbmS, sec)
}

// Work sums OpWork over ops, each capped at its OpSeconds, per device, for
// utilisation metrics. It does not allocate.
func (p *Perf) Work(ops []llm.Op) (computeS, hbmS float64) {
	for i := range ops {
		c, h := p.OpWork(ops[i], p.OpSeconds(ops[i]))
		computeS += c
		hbmS += h
	}
	return computeS, hbmS
}

// ReplicaHBMBytes is the device memory of the replica's TP devices.
func (p *Perf) ReplicaHBMBytes() float64 { return float64(p.TP) * p.Device.HBMBytes }

// ReplicasPerInstance is how many replicas of tp devices fit in inst.
func ReplicasPerInstance(inst *Instance, tp int) (int, error) {
	n, err := inst.Devices()
	if err != nil {
		return 0, err
	}
	if tp < 1 || tp > n {
		return 0, fmt.Errorf("instance %s: tp %d must be between 1 and its %d devices", inst.Name, tp, n)
	}
	return n / tp, nil
}
