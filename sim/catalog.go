package sim

import (
	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
)

// Catalog adapts hw's instance catalog to what scenario resolution needs
// (package model knows no hardware; this is the one place the two meet).
func Catalog() model.Catalog { return hwCatalog{} }

type hwCatalog struct{}

func (hwCatalog) Instance(name string) (model.InstanceFacts, error) {
	in, err := hw.InstanceByName(name)
	if err != nil {
		return model.InstanceFacts{}, err
	}
	chip, err := in.ChipSpec()
	if err != nil {
		return model.InstanceFacts{}, err
	}
	sched, err := hw.DefaultScheduler(chip.Family)
	if err != nil {
		return model.InstanceFacts{}, err
	}
	formats, err := hw.WeightFormats(chip)
	if err != nil {
		return model.InstanceFacts{}, err
	}
	expertFormats, err := hw.ExpertWeightFormats(chip)
	if err != nil {
		return model.InstanceFacts{}, err
	}
	held := func(sh llm.Shard) llm.Shard {
		if r, err := hw.HeldShard(chip, sh); err == nil {
			return r
		}
		return sh
	}
	devices, _ := in.Devices()
	degrees, _ := in.TPDegrees()
	dev := hw.DeviceOf(chip)
	var compute []llm.DType
	for _, d := range llm.DTypes {
		if dev.Supports(d) {
			compute = append(compute, d)
		}
	}
	prices := map[string]float64{}
	for _, m := range hw.PricingModels() {
		if p, ok := in.Price(m); ok {
			prices[m] = p.SI()
		}
	}
	if _, ok := prices[hw.PricingOnDemand]; ok && in.Spot.Known {
		prices["spot"] = in.Spot.SI() // a dated quote: fleet.spot.discount defaults to what it implies
	}
	return model.InstanceFacts{
		Name:                in.Name,
		Family:              chip.Family,
		Devices:             devices,
		DeviceMemoryBytes:   dev.HBMBytes,
		TPDegrees:           degrees,
		PriceUSDPerHour:     prices,
		Schedulers:          SchedulersFor(chip.Family, sched),
		WeightFormats:       formats,
		ExpertWeightFormats: expertFormats,
		ComputeFormats:      compute,
		Compiled:            hw.StepFamilyCompiled(chip.StepFamily),
		Held:                held,
	}, nil
}
