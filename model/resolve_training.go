package model

import (
	"fmt"

	"aiecon/model/llm"
)

// TrainingMemory is the HBM the scenario's training job needs (its state and
// per-replica activations), from the served architecture's shape and
// training.params; the scenario must be resolved.
func (sc *Scenario) TrainingMemory() (llm.TrainingMemory, error) {
	t := sc.Training
	if t == nil {
		return llm.TrainingMemory{}, fmt.Errorf("the scenario does not train")
	}
	a, err := sc.Arch()
	if err != nil {
		return llm.TrainingMemory{}, err
	}
	return a.NewTrainingMemory(t.Kind, t.Params, t.LoRARank, t.MicroBatchTokens)
}

// trainingState checks the job's state fields, then, when the training
// section had no error (errs: the count before it), that the machines it may
// run on hold it: on the fleet, the replicas that can be lent (all but
// min_serving); on the dedicated cluster, its instances.
func (r *resolver) trainingState(errs int) {
	t := r.sc.Training
	if !oneOf(t.Kind, llm.FineTuneFull, llm.FineTuneLoRA) {
		r.bad("training.kind", "unknown %q (allowed: %s, %s)", t.Kind, llm.FineTuneFull, llm.FineTuneLoRA)
	}
	if t.LoRARank < 1 || t.LoRARank > 4096 {
		r.bad("training.lora_rank", "%d is out of range (allowed: 1 to 4096)", t.LoRARank)
	}
	if t.MicroBatchTokens < 1 || t.MicroBatchTokens > 1<<20 {
		r.bad("training.micro_batch_tokens", "%d is out of range (allowed: 1 to %d)", t.MicroBatchTokens, 1<<20)
	}
	if !(t.StorageGBPerS > 0 && t.StorageGBPerS <= 1e4) {
		r.bad("training.storage_gb_per_s", "%g is out of range (allowed: above 0, at most 10000 GB/s)", t.StorageGBPerS)
	}
	if t.CheckpointEvery < Minute || t.RestartWarmup < 0 {
		r.bad("training.checkpoint_every", "checkpoint_every of at least 1m and a restart_warmup >= 0")
	}
	if len(r.errs) == errs && r.haveArch && r.haveInst {
		r.trainingFit()
	}
}

// trainingFit refuses a job that the machines it may use cannot hold,
// spelling out the memory arithmetic.
func (r *resolver) trainingFit() {
	sc, t := r.sc, r.sc.Training
	m, err := r.arch.NewTrainingMemory(t.Kind, t.Params, t.LoRARank, t.MicroBatchTokens)
	if err != nil {
		r.bad("training.kind", "%v", err)
		return
	}
	field, what, each, have := "training.where", "", 0.0, 0
	fix := "add instances (fleet.count), use training.kind: lora, or train on a dedicated cluster (training.where: dedicated)"
	// The fleet's size and layout make fleet-idle training not fit: a
	// --set of them is named, not the file's training.where.
	// So does the model the job retrains (its parameters and activations).
	cause := "fleet.count,fleet.instance,fleet.replica.tp,fleet.replica.per_instance,training.min_serving,model,training.kind"
	if t.Where == "fleet-idle" {
		each = float64(sc.Fleet.Replica.TP) * r.inst.DeviceMemoryBytes
		have = sc.Fleet.Count*sc.Fleet.Replica.PerInstance - t.MinServing
		what = fmt.Sprintf("the replicas that can be lent, %d (%d x %s with %d per instance, less min_serving %d), %.0f GB of HBM each (tp %d x %.0f GB),",
			max(have, 0), sc.Fleet.Count, r.inst.Name, sc.Fleet.Replica.PerInstance, t.MinServing, each/1e9, sc.Fleet.Replica.TP, r.inst.DeviceMemoryBytes/1e9)
	} else {
		inst, err := r.cat.Instance(t.Instance)
		if err != nil {
			return // training() reported it
		}
		field, each, have, cause = "training.instances", float64(inst.Devices)*inst.DeviceMemoryBytes, t.Instances, "training.instance,model,training.kind"
		fix = "raise training.instances or use training.kind: lora"
		what = fmt.Sprintf("the dedicated cluster's %d x %s, %.0f GB of HBM each", t.Instances, inst.Name, each/1e9)
	}
	gang := m.Gang(each)
	if gang >= 1 && gang <= have {
		return
	}
	need := fmt.Sprintf("%s, plus %.1f GB of activations per member (%d tokens in flight)", m.Arithmetic(), m.ActivationsPer/1e9, t.MicroBatchTokens)
	if gang == 0 {
		r.bad(field, "the training job does not fit: %s; one member's activations alone exceed its %.0f GB; lower training.micro_batch_tokens", need, each/1e9)
		return
	}
	r.badBecause(field, cause, "the training job does not fit: %s needs %d members (%.0f GB in all), but %s hold %.0f GB; %s",
		need, gang, m.TotalBytes(gang)/1e9, what, float64(max(have, 0))*each/1e9, fix)
}
