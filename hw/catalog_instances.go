package hw

// The instance catalog, transcribed from ../shared/reference/hardware-facts.md
// §2 (Neuron) and §3b (GPU). Prices carry the date of their snapshot; "not
// found" in the file is an unknown fact here, never a number.

const (
	// Dates are short enough for a table; the notes and Sources() say more.
	dateSKY    = "undated, pre-2025-06" // the SKY snapshot predates the June-2025 GPU price cut
	dateRI     = "since 2024-09-16"     // NSDK 81ce03ae (2026-08-21); RI rates replaced OD in 72825d50
	dateNeuOD  = "before 2024-09-16"    // NSDK-hist: the OD rates before 72825d50 replaced them
	dateCB     = "late 2024"            // the CB page said its rates were due for update on 2025-01-01
	odHistNote = "on-demand rate from the NSDK price csv before commit 72825d50 (2024-09-16); the same in SKY (undated)"

	riNote    = "NSDK snapshot 81ce03ae (2026-08-21): \"RI-Effective hourly rate\", term not stated; 38-48% of on-demand, which fits 3-yr RIs (facts §2 note, EST)"
	inf2Arch  = "about-neuron/arch/neuron-hardware/inf2-arch.rst (facts §2)"
	inf2Price = "inf2_instance_prices.csv before 72825d50, and SKY (facts §2)"
	inf2RI    = "about-neuron/benchmarks/inf2/inf2_instance_prices.csv (facts §2)"
	trn1Arch  = "about-neuron/arch/neuron-hardware/trn1-arch.rst (facts §2)"
	trn1RI    = "about-neuron/benchmarks/trn1 instance prices csv (facts §2)"
	trn2Arch  = "about-neuron/arch/neuron-hardware/trn2-arch.rst (facts §2)"
	skyDetail = "catalogs/v7/aws/vms.csv, us-east-1 on-demand (facts §3b)"
	inf2Net   = "not in the sources consulted; facts §2 gives this from memory, unverified (EST)"
	noRI      = "no RI-effective rate in the sources consulted"
	noCB      = "no Capacity Blocks rate in the sources consulted"
	noNet     = "not given in hardware-facts.md"
)

func odPrice(v float64, src, detail, date string) Fact {
	return off(v, "USD/h", src, detail).withDate(date)
}

func riPrice(v float64, detail string) Fact {
	return off(v, "USD/h", "NSDK", detail).withDate(dateRI).withNote(riNote)
}

func inf2(name string, chips, vcpu, hostGiB, netGbps float64, od, ri float64) *Instance {
	return &Instance{
		Name: name, Chip: "Inferentia2",
		Chips:         off(chips, "count", "NSDK", inf2Arch),
		AccelMemory:   off(32*chips, "GiB", "NSDK", inf2Arch),
		VCPU:          off(vcpu, "count", "NSDK", inf2Arch),
		HostMemory:    off(hostGiB, "GiB", "NSDK", inf2Arch),
		Network:       est(netGbps, "Gbit/s", "NSDK", inf2Arch, inf2Net+"; ENA only, no EFA listed for inf2"),
		OnDemand:      odPrice(od, "NSDK-hist", inf2Price, dateNeuOD).withNote(odHistNote),
		RIEffective:   riPrice(ri, inf2RI),
		CapacityBlock: unknown("USD/h", "CB", ThirdParty, noCB),
	}
}

var instanceCatalog = []*Instance{
	inf2("inf2.xlarge", 1, 4, 16, 15, 0.758, 0.328),
	inf2("inf2.8xlarge", 1, 32, 128, 25, 1.968, 0.850),
	inf2("inf2.24xlarge", 6, 96, 384, 50, 6.491, 2.804),
	func() *Instance {
		in := inf2("inf2.48xlarge", 12, 192, 768, 100, 12.981, 5.608)
		in.Stated = []NamedFact{
			{"peak_bf16", off(2280, "TFLOP/s", "NSDK", "inf2 arch page (facts §2, instance-level compute)")},
			{"hbm_bandwidth", off(9840, "GiB/s", "NSDK", "inf2 arch page (facts §2, instance-level compute)")},
		}
		return in
	}(),
	{
		Name: "trn1.2xlarge", Chip: "Trainium1",
		Chips:         off(1, "count", "NSDK", trn1Arch),
		AccelMemory:   off(32, "GiB", "NSDK", trn1Arch),
		VCPU:          off(8, "count", "NSDK", trn1Arch),
		HostMemory:    off(32, "GiB", "NSDK", trn1Arch),
		Network:       off(25, "Gbit/s", "NSDK", trn1Arch).withNote("up to 25 Gbps"),
		OnDemand:      odPrice(1.34375, "SKY", skyDetail+"; also NSDK-hist c6ec6484", dateNeuOD).withNote(odHistNote),
		RIEffective:   riPrice(0.512, trn1RI),
		CapacityBlock: unknown("USD/h", "CB", ThirdParty, noCB),
	},
	{
		Name: "trn1.32xlarge", Chip: "Trainium1",
		Chips:       off(16, "count", "NSDK", trn1Arch),
		AccelMemory: off(512, "GiB", "NSDK", trn1Arch),
		VCPU:        off(128, "count", "NSDK", trn1Arch),
		HostMemory:  off(512, "GiB", "NSDK", trn1Arch),
		Network:     off(800, "Gbit/s", "NSDK", trn1Arch).withNote("EFA"),
		OnDemand:    odPrice(21.50, "SKY", skyDetail+"; also NSDK-hist c6ec6484", dateNeuOD).withNote(odHistNote),
		RIEffective: riPrice(8.197, trn1RI),
		CapacityBlock: tp(15.49, "USD/h", "CB", "facts §2 Capacity Blocks table").withDate(dateCB).
			withNote("Melbourne region; $0.968 per accelerator-hour"),
		Stated: []NamedFact{
			{"peak_bf16", off(3040, "TFLOP/s", "NSDK", "trn1 arch page (facts §2, instance-level compute)")},
			{"hbm_bandwidth", off(13120, "GiB/s", "NSDK", "trn1 arch page (facts §2, instance-level compute)")},
		},
	},
	{
		Name: "trn1n.32xlarge", Chip: "Trainium1",
		Chips:       off(16, "count", "NSDK", trn1Arch),
		AccelMemory: off(512, "GiB", "NSDK", trn1Arch),
		VCPU:        off(128, "count", "NSDK", trn1Arch),
		HostMemory:  off(512, "GiB", "NSDK", trn1Arch),
		Network: off(1600, "Gbit/s", "NSDK", trn1Arch).
			withNote("EFA; the arch table's 768 (NeuronLink GB/s/chip?) is uncertain because of a missing header column"),
		OnDemand:      odPrice(24.78, "SKY", skyDetail, dateSKY),
		RIEffective:   unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: unknown("USD/h", "CB", ThirdParty, noCB),
	},
	{
		Name: "trn2.48xlarge", Chip: "Trainium2",
		Chips:       off(16, "count", "NSDK", trn2Arch),
		AccelMemory: off(1536, "GiB", "NSDK", trn2Arch).withNote("46.4 TB/s"),
		VCPU:        off(192, "count", "NSDK", trn2Arch),
		HostMemory:  off(2048, "GiB", "NSDK", trn2Arch),
		Network:     off(3200, "Gbit/s", "NSDK", trn2Arch).withNote("EFAv3"),
		OnDemand: odPrice(85.964, "SKY", "catalogs/v7/aws/vms.csv (facts §2)", dateSKY).
			withNote("us-east-2 only in SKY; may be stale (facts §3b action)"),
		RIEffective:   unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: unknown("USD/h", "CB", ThirdParty, noCB),
		Stated: []NamedFact{
			{"peak_bf16", off(10.7, "PFLOP/s", "NSDK", "trn2 arch page (facts §2, instance-level compute)")},
			{"peak_fp8", off(20.8, "PFLOP/s", "NSDK", "trn2 arch page (facts §2, instance-level compute)")},
			{"hbm_bandwidth", off(46.4, "TB/s", "NSDK", trn2Arch)},
		},
	},
	{
		Name: "trn2u.48xlarge", Chip: "Trainium2",
		Chips:         off(16, "count", "NSDK", trn2Arch),
		AccelMemory:   off(1536, "GiB", "NSDK", trn2Arch),
		VCPU:          off(192, "count", "NSDK", trn2Arch),
		HostMemory:    off(2048, "GiB", "NSDK", trn2Arch),
		Network:       off(3200, "Gbit/s", "NSDK", trn2Arch).withNote("EFAv3; 4 of them form a Trn2 UltraServer"),
		OnDemand:      unknown("USD/h", "SKY", Official, "not found in the sources consulted (facts §2)"),
		RIEffective:   unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: unknown("USD/h", "CB", ThirdParty, noCB),
	},
	gpuInstance("g5.xlarge", "A10G", 1, 24, 4, 16, sky(1.006)),
	gpuInstance("g5.12xlarge", "A10G", 4, 96, 48, 192, sky(5.672)),
	gpuInstance("g6.xlarge", "L4", 1, 24, 4, 16, sky(0.8048)),
	gpuInstance("p4de.24xlarge", "A100-80GB", 8, 640, 96, 1152, sky(40.966)),
	withNet(withCB(gpuInstance("p5.48xlarge", "H100", 8, 640, 192, 2048, sky(98.32)),
		39.33, "us-east-1/2; $4.916 per accelerator-hour")),
	withNet(withCB(gpuInstance("p5e.48xlarge", "H200", 8, 1128, 192, 2048,
		unknown("USD/h", "SKY", Official, "no on-demand price in SKY (facts §3b)")),
		43.26, "listed as \"H200 (p5e)\", us-east-2; $5.408 per accelerator-hour")),
	withNet(gpuInstance("p5en.48xlarge", "H200", 8, 1128, 192, 2048, sky(84.80))),
	func() *Instance {
		in := gpuInstance("p6-b200.48xlarge", "B200", 8, 1440, 0, 0,
			unknown("USD/h", "SKY", Official, "not in SKY; sold through Capacity Blocks only at launch (3P: gpueconomics.com)"))
		in.AccelMemory = tp(1440, "GB", "SKY", "facts §3b").withNote("~1,440 GB")
		in.VCPU = unknown("count", "SKY", Official, noNet)
		in.HostMemory = unknown("GiB", "SKY", Official, noNet)
		return in
	}(),
}

func sky(v float64) Fact { return odPrice(v, "SKY", skyDetail, dateSKY) }

func gpuInstance(name, chip string, chips, memGB, vcpu, hostGiB float64, od Fact) *Instance {
	return &Instance{
		Name: name, Chip: chip,
		Chips:         off(chips, "count", "SKY", skyDetail),
		AccelMemory:   off(memGB, "GB", "SKY", skyDetail),
		VCPU:          off(vcpu, "count", "SKY", skyDetail),
		HostMemory:    off(hostGiB, "GiB", "SKY", skyDetail),
		Network:       unknown("Gbit/s", "SKY", Official, noNet),
		OnDemand:      od,
		RIEffective:   unknown("USD/h", "NSDK", Official, "RI-effective rates are listed for Neuron instances only"),
		CapacityBlock: unknown("USD/h", "CB", ThirdParty, noCB),
	}
}

func withCB(in *Instance, usdPerHour float64, note string) *Instance {
	in.CapacityBlock = tp(usdPerHour, "USD/h", "CB", "facts §2 Capacity Blocks table").withDate(dateCB).withNote(note)
	return in
}

// withNet sets the 3,200 Gbps the CB page gives for p5, p5e and p5en.
func withNet(in *Instance) *Instance {
	in.Network = tp(3200, "Gbit/s", "CB", "facts §3b: network for p5, p5e and p5en")
	return in
}
