package model

import "aiecon/model/llm"

// ReplicaMemory is how a replica divides each device's memory: the weights
// as the chips hold them (a speculative proposer's beside the target's),
// what the memory reserve leaves for the KV cache, and how many KV units
// (llm.KVLayout) that cache holds. The load-time check (Resolve) and the
// simulator (sim configureReplicas) both size replicas with it, so that a
// scenario the check accepts is one the simulator can run.
type ReplicaMemory struct {
	WeightBytes     float64 // per device
	KVBytesPerToken float64 // per device, every layer, proposer included
	FreeBytes       float64 // device memory after the reserve and the weights (<= 0: they do not fit)
	KVBytes         float64 // FreeBytes x kv_memory_fraction
	KV              llm.KVLayout
	Units           float64 // KV units the cache holds (negative when the weights do not fit)
	NeedUnits       int64   // KV units of one max_model_len request
	// Slots is the compiled batch of a static KV cache (CompiledBatch), 0
	// for a cache of blocks sized to the memory. A compiled (Neuron)
	// replica without the block KV layout holds max_model_len tokens for
	// every slot, whatever its requests hold: its graphs have static input
	// and output shapes (aws-neuron/aws-neuron-sdk
	// libraries/nxd-inference/developer_guides/feature-guide.rst), while
	// the block layout of prefix caching gathers blocks to a flat layout
	// and back (same page). aiecon takes prefix_caching as the switch.
	Slots       int
	StaticUnits float64 // Slots x NeedUnits: the static cache in KV units
}

// PlanReplicaMemory sizes a replica of rp serving arch with the shard sh
// (as its chips hold it) on devices of deviceBytes; compiled says whether
// its step family runs ahead-of-time compiled graphs (WindowedKV).
func PlanReplicaMemory(arch llm.Arch, sh llm.Shard, rp Replica, deviceBytes float64, compiled bool) (ReplicaMemory, error) {
	m := ReplicaMemory{WeightBytes: arch.WeightBytesPerDevice(sh), KVBytesPerToken: arch.KVBytesPerTokenPerDevice(sh)}
	if sp := rp.Speculative; sp != nil {
		_, wb, kvb, err := arch.Proposer(sp.Draft, sh)
		if err != nil {
			return m, err
		}
		m.WeightBytes, m.KVBytesPerToken = m.WeightBytes+wb, m.KVBytesPerToken+kvb
	}
	m.FreeBytes = deviceBytes*(1-rp.MemoryReserve) - m.WeightBytes
	m.KVBytes = m.FreeBytes * rp.KVMemoryFraction
	bt := int32(rp.KVBlockTokens)
	m.KV = arch.KVLayout(bt, WindowedKV(compiled, rp))
	m.Units = m.KV.UnitsIn(m.KVBytes, m.KVBytesPerToken, arch.Layers, bt)
	m.NeedUnits = m.KV.Units(int32(rp.MaxModelLen), int32(rp.MaxModelLen), bt)
	if compiled && !BlockKV(rp) {
		m.Slots = CompiledBatch(rp)
		m.StaticUnits = float64(m.Slots) * float64(m.NeedUnits)
	}
	return m, nil
}

// BlockKV says whether a compiled replica lays its KV cache out in blocks,
// as Neuron's prefix caching does; without it the cache is static (Slots).
func BlockKV(rp Replica) bool { return rp.PrefixCaching == nil || *rp.PrefixCaching }

// CompiledBatch is the largest batch a compiled replica's graphs run: the
// static scheduler pads its batch to a power of two (llm.PadBatch, as
// transformers-neuronx runs a static batch and hw.Predict prices it); the
// Neuron schedulers pad to powers of two no larger than max_num_seqs.
func CompiledBatch(rp Replica) int {
	if rp.Scheduler == "static" {
		return llm.PadBatch(rp.MaxNumSeqs)
	}
	return rp.MaxNumSeqs
}

// Fits reports whether the cache holds one max_model_len request and, when
// it is static, a max_model_len request in every slot.
func (m ReplicaMemory) Fits() bool { return m.FitsOne() && m.Units >= m.StaticUnits }

// FitsOne reports whether the cache holds one max_model_len request.
func (m ReplicaMemory) FitsOne() bool { return m.Units >= float64(m.NeedUnits) }

// PoolUnits are the KV units the simulator's replica allocates from: a
// static cache's slots (a request never waits for KV memory while a slot is
// free, so only max_num_seqs bounds the batch), else every unit the memory
// holds.
func (m ReplicaMemory) PoolUnits() float64 {
	if m.Slots > 0 {
		return m.StaticUnits
	}
	return m.Units
}

// UnitBytes is the bytes per device of one KV unit.
func (m ReplicaMemory) UnitBytes(arch llm.Arch, rp Replica) float64 {
	return m.KV.UnitBytes(m.KVBytesPerToken, arch.Layers, int32(rp.KVBlockTokens))
}
