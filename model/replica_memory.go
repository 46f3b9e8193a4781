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
	return m, nil
}

// Fits reports whether the cache holds one max_model_len request.
func (m ReplicaMemory) Fits() bool { return m.Units >= float64(m.NeedUnits) }

// UnitBytes is the bytes per device of one KV unit.
func (m ReplicaMemory) UnitBytes(arch llm.Arch, rp Replica) float64 {
	return m.KV.UnitBytes(m.KVBytesPerToken, arch.Layers, int32(rp.KVBlockTokens))
}
