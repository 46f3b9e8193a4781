package hw

// The instance catalog. Specs come from the Neuron SDK docs (NSDK) and the
// SkyPilot catalog (SKY); prices from the AWS Price List API as generated into
// the Karpenter provider (KARP), the AWS Capacity Blocks pricing page (CB,
// CB26), the Neuron SDK price tables (NSDK) and public spot quotes. Every
// price carries the date it was read for; a price no source gives is unknown,
// never a number. docs/model.md ("Prices") explains which to use when.

const (
	// Dates are short enough for a table; the notes and Sources() say more.
	dateSKY    = "undated, pre-2025-06" // the SKY snapshot predates the June-2025 GPU price cut
	dateRI     = "since 2024-09-16"     // NSDK 81ce03ae (2026-08-21); RI rates replaced OD in 72825d50
	dateCB     = "late 2024"            // the CB page said its rates were due for update on 2025-01-01
	dateKARP   = "2026-07-20"           // the newest Price List snapshot in KARP (commit 6fc13b52)
	dateCBLoka = "2026-05-21"           // Loka's public article, which quotes the trn2 and p4de rates
	dateCBNote = "2026-10-08"           // engineering notes with no author, title or URL: trn1's and p5en's rates rest on them alone

	riNote    = "NSDK snapshot 81ce03ae (2026-08-21): \"RI-Effective hourly rate\", term not stated; 38-43% of on-demand, which fits 3-yr RIs (EST)"
	inf2Arch  = "about-neuron/arch/neuron-hardware/inf2-arch.rst"
	inf2RI    = "about-neuron/benchmarks/inf2/inf2_instance_prices.csv"
	trn1Arch  = "about-neuron/arch/neuron-hardware/trn1-arch.rst"
	trn1RI    = "about-neuron/benchmarks/trn1/*_prices.csv (the instance prices table beside the benchmark tables)"
	trn2Arch  = "about-neuron/arch/neuron-hardware/trn2-arch.rst"
	skyDetail = "catalogs/v7/aws/vms.csv, us-east-1 on-demand"
	karpFile  = "pkg/providers/pricing/zz_generated.pricing_aws.go, us-east-1"
	inf2Net   = "baseline (bursts higher, by an amount not verified); ENA only, no EFA listed for inf2 (NSDK inf2-arch.rst)"
	noRI      = "no RI-effective rate in the sources consulted"
	noCB      = "no Capacity Blocks rate in the sources consulted"
	noSpot    = "no public spot price found"
	noNet     = "not given in the sources consulted"
	cutNote   = "the June-2025 P-instance price cut (\"up to 45%\" on P5, also applied to Savings Plans, as usage.ai reports in \"LLM Cost Optimization on AWS\", updated 2026-06-30) is in this price"
)

// karp is an on-demand list price from the AWS Price List as Karpenter's
// generated file records it; note says since when it holds.
func karp(v float64, note string) Fact {
	return off(v, "USD/h", "KARP", karpFile).withDate(dateKARP).withNote(note)
}

func riPrice(v float64, detail string) Fact {
	return off(v, "USD/h", "NSDK", detail).withDate(dateRI).withNote(riNote)
}

// cb26 is a current Capacity Blocks rate as the public quotes of the CB page give it.
func cb26(v float64, date, note string) Fact {
	return tp(v, "USD/h", "CB26", "aws.amazon.com/ec2/capacityblocks/pricing").withDate(date).withNote(note)
}

// cbUnsourced is a Capacity Blocks rate that only engineering notes with
// no author, title or URL give (dated dateCBNote): labelled EST, an
// unverified figure, with a detail that says it was not read from the CB
// page. As cb26 it printed "3P CB26 aws.amazon.com/ec2/capacityblocks/pricing",
// the marks of trn2's rate, which a public article quotes from that page.
func cbUnsourced(v float64, note string) Fact {
	return est(v, "USD/h", "CB26", cbUnsourcedDetail, note).withDate(dateCBNote)
}

// cbUnsourcedDetail is where cbUnsourced's rates come from.
const cbUnsourcedDetail = "engineering notes with no author, title or URL, not the CB page"

func noSpotPrice() Fact { return unknown("USD/h", "DSTACK", ThirdParty, noSpot) }

func inf2(name string, chips, vcpu, hostGiB, netGbps float64, od, ri float64) *Instance {
	return &Instance{
		Name: name, Chip: "Inferentia2",
		Chips:         off(chips, "count", "NSDK", inf2Arch),
		AccelMemory:   off(32*chips, "GiB", "NSDK", inf2Arch),
		VCPU:          off(vcpu, "count", "NSDK", inf2Arch),
		HostMemory:    off(hostGiB, "GiB", "NSDK", inf2Arch),
		Network:       tp(netGbps, "Gbit/s", "KARP-BW", inf2Net),
		OnDemand:      karp(od, "unchanged since 2023-09"),
		RIEffective:   riPrice(ri, inf2RI),
		CapacityBlock: unknown("USD/h", "CB26", ThirdParty, noCB),
		Spot:          noSpotPrice(),
	}
}

var instanceCatalog = []*Instance{
	inf2("inf2.xlarge", 1, 4, 16, 2.083, 0.7582, 0.328),
	inf2("inf2.8xlarge", 1, 32, 128, 16.667, 1.96786, 0.850),
	inf2("inf2.24xlarge", 6, 96, 384, 50, 6.49063, 2.804),
	func() *Instance {
		in := inf2("inf2.48xlarge", 12, 192, 768, 100, 12.98127, 5.608)
		in.Stated = []NamedFact{
			{"peak_bf16", off(2280, "TFLOP/s", "NSDK", "inf2 arch page (instance-level compute)")},
			{"hbm_bandwidth", off(9840, "GiB/s", "NSDK", "inf2 arch page (instance-level compute)")},
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
		OnDemand:      karp(1.34375, "unchanged since first listed"),
		RIEffective:   riPrice(0.512, trn1RI),
		CapacityBlock: unknown("USD/h", "CB26", ThirdParty, noCB),
		Spot:          noSpotPrice(),
	},
	{
		Name: "trn1.32xlarge", Chip: "Trainium1",
		Chips:         off(16, "count", "NSDK", trn1Arch),
		AccelMemory:   off(512, "GiB", "NSDK", trn1Arch),
		VCPU:          off(128, "count", "NSDK", trn1Arch),
		HostMemory:    off(512, "GiB", "NSDK", trn1Arch),
		Network:       off(800, "Gbit/s", "NSDK", trn1Arch).withNote("EFA"),
		OnDemand:      karp(21.50, "unchanged since first listed"),
		RIEffective:   riPrice(8.197, trn1RI),
		CapacityBlock: cbUnsourced(9.532, RegionNotStated+"; $0.596 per chip-hour, 44% of on-demand (EST); quoted only in engineering notes with no author, title or URL; no public dated source found"),
		Spot:          noSpotPrice(),
		Stated: []NamedFact{
			{"peak_bf16", off(3040, "TFLOP/s", "NSDK", "trn1 arch page (instance-level compute)")},
			{"hbm_bandwidth", off(13120, "GiB/s", "NSDK", "trn1 arch page (instance-level compute)")},
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
		OnDemand:      karp(24.78, "unchanged since first listed"),
		RIEffective:   unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: unknown("USD/h", "CB26", ThirdParty, noCB),
		Spot:          noSpotPrice(),
	},
	{
		Name: "trn2.48xlarge", Chip: "Trainium2",
		Chips:       off(16, "count", "NSDK", trn2Arch),
		AccelMemory: off(1536, "GiB", "NSDK", trn2Arch).withNote("46.4 TB/s"),
		VCPU:        off(192, "count", "NSDK", trn2Arch),
		HostMemory:  off(2048, "GiB", "NSDK", trn2Arch),
		Network:     off(3200, "Gbit/s", "NSDK", trn2Arch).withNote("EFAv3"),
		OnDemand: unknown("USD/h", "KARP", Official, "no current public on-demand price: the AWS Price List has no us-east-1 row (2026-07-20); "+
			"the only on-demand figure found, 85.964 in us-east-2 (SKY, undated), is unconfirmed. Use pricing: capacity-block, or set fleet.price_usd_per_hour"),
		RIEffective: unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: cb26(35.7608, dateCBLoka, "us-east-2; $2.235 per chip-hour; quoted by Loka (\"Running Hugging Face Carbon on AWS "+
			"Trainium2 with NxD Inference\", "+dateCBLoka+"), the date a reader can check; engineering notes with no author, title or URL "+
			"quoted the same rate on "+dateCBNote+"; the only current public trn2 rate"),
		Spot: unknown("USD/h", "CB26", ThirdParty, "a spot quote of 15.343 (43% of the CB rate) was seen but no spot capacity could be obtained (engineering notes of 2026-10 with no author, title or URL; no public source)"),
		Stated: []NamedFact{
			{"peak_bf16", off(10.7, "PFLOP/s", "NSDK", "trn2 arch page (instance-level compute)")},
			{"peak_fp8", off(20.8, "PFLOP/s", "NSDK", "trn2 arch page (instance-level compute)")},
			{"hbm_bandwidth", off(46.4, "TB/s", "NSDK", trn2Arch)},
		},
	},
	trn2Small(),
	{
		Name: "trn2u.48xlarge", Chip: "Trainium2",
		Chips:         off(16, "count", "NSDK", trn2Arch),
		AccelMemory:   off(1536, "GiB", "NSDK", trn2Arch),
		VCPU:          off(192, "count", "NSDK", trn2Arch),
		HostMemory:    off(2048, "GiB", "NSDK", trn2Arch),
		Network:       off(3200, "Gbit/s", "NSDK", trn2Arch).withNote("EFAv3; 4 of them form a Trn2 UltraServer"),
		OnDemand:      unknown("USD/h", "KARP", Official, "no row in the AWS Price List (2026-07-20)"),
		RIEffective:   unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: unknown("USD/h", "CB26", ThirdParty, noCB),
		Spot:          noSpotPrice(),
	},
	withSpot(gpuInstance("g5.xlarge", "A10G", 1, 24, 4, 16, sky(1.006)),
		tp(0.348, "USD/h", "SKY-4019", "us-east-1 spot").withDate("2024-09-28").withNote("65% below on-demand (EST)")),
	gpuInstance("g5.12xlarge", "A10G", 4, 96, 48, 192, sky(5.672)),
	gpuInstance("g6.xlarge", "L4", 1, 24, 4, 16, sky(0.8048)),
	ec2Specs(gpuInstance("g5.48xlarge", "A10G", 8, 192, 192, 768, karp(16.288, "unchanged since first listed (2023)")), "g5", 100),
	ec2Specs(gpuInstance("g6.48xlarge", "L4", 8, 192, 192, 768, karp(13.3504, "unchanged since first listed (2024)")), "g6", 100),
	withEC2Net(gpuInstance("g6e.48xlarge", "L40S", 8, 384, 192, 1536,
		karp(30.13118, "unchanged since first listed (2025); 30.131 in the older SKY snapshot")), "g6e", 400),
	withNet400(withSpot(withCB(binaryMem(gpuInstance("p4d.24xlarge", "A100-40GB", 8, 320, 96, 1152,
		karp(21.957642, "since 2025-06-23; 32.7726 before (KARP 3c499175, 2025-04-28), -33%; "+cutNote))),
		oldCB(14.75, RegionNotStated+"; $1.844 per accelerator-hour; before the June-2025 cut")),
		tp(9.279, "USD/h", "SKY-4019", "spot against on-demand").withDate("2024-09-28").
			withNote("72% below the then on-demand 32.773 (EST), before the June-2025 cut"))),
	withCB(binaryMem(gpuInstance("p4de.24xlarge", "A100-80GB", 8, 640, 96, 1152,
		karp(27.44705, "since 2025-06-23; 40.96575 before (KARP 3c499175, 2025-04-28), -33%; "+cutNote))),
		cb26(14.7663, dateCBLoka, RegionNotStated+"; 54% of on-demand (EST); quoted by Loka (May 2026)")),
	withNet(withCB(binaryMem(gpuInstance("p5.48xlarge", "H100", 8, 640, 192, 2048,
		karp(55.04, "since 2025-06-23; 98.32 before (KARP 3c499175, 2025-04-28), -44%; "+cutNote))),
		oldCB(39.33, "us-east-1/2; $4.916 per accelerator-hour; 40% of the then on-demand 98.32, before the June-2025 cut"))),
	withNet(withCB(binaryMem(gpuInstance("p5e.48xlarge", "H200", 8, 1128, 192, 2048,
		unknown("USD/h", "KARP", Official, "no us-east-1 on-demand row in the AWS Price List (2026-07-20); sold through Capacity Blocks and us-east-2"))),
		oldCB(43.26, "us-east-2; listed as \"H200 (p5e)\"; $5.408 per accelerator-hour"))),
	withNet(withSpot(withCB(binaryMem(gpuInstance("p5en.48xlarge", "H200", 8, 1128, 192, 2048,
		karp(63.296, "since 2025-06-23; 84.80 before (KARP 3c499175, 2025-04-28), -25%; the same in us-east-2 and us-west-2 (dstackai/dstack PR #4110); "+cutNote))),
		cbUnsourced(63.158, RegionNotStated+"; 0.998 x on-demand (EST); quoted only in engineering notes with no author, title or URL; no public dated source found")),
		tp(27.20, "USD/h", "DSTACK", "us-east-1 spot").withDate("2026-08-06").withNote("57% below on-demand (EST); us-east-2 26.57, us-west-2 26.94"))),
	func() *Instance {
		in := gpuInstance("p6-b200.48xlarge", "B200", 8, 1440, 0, 0,
			karp(113.9328, "first in the Price List 2025-07-07 (KARP c0a5033d); Capacity Blocks only at its 2025-05-15 launch"))
		// SKY has no p6 rows: the count is the reference's, the memory 8 of
		// the B200's 180 GB.
		in.Chips = tp(8, "count", "GPUE", "p6-b200.48xlarge: 8 B200")
		in.AccelMemory = est(1440, "GB", "GPUK", "B200 180 GB", "8 x the B200's 180 GB (~1,440 GB)")
		in.VCPU = unknown("count", "SKY", Official, "not in SKY, which has no p6 rows")
		in.HostMemory = unknown("GiB", "SKY", Official, "not in SKY, which has no p6 rows")
		return in
	}(),
}

// trn2Small is trn2.3xlarge, one Trainium2 chip (8 physical NeuronCores, 4
// logical at LNC=2, so TP up to 4), sold through Capacity Blocks. The
// sources consulted give its chip count and price (Loka's quote of the CB
// page) but not its vCPUs, host memory, network or an on-demand rate: those
// stay unknown rather than scaled down from trn2.48xlarge.
func trn2Small() *Instance {
	const notListed = "not given in the sources consulted"
	return &Instance{
		Name: "trn2.3xlarge", Chip: "Trainium2",
		Chips: tp(1, "count", "CB26", "aws.amazon.com/ec2/capacityblocks/pricing").
			withNote("1 Trainium2 chip, as Loka (\"Running Hugging Face Carbon on AWS Trainium2 with NxD Inference\", May 2026) quotes the CB page"),
		AccelMemory: est(96, "GiB", "NSDK", nsdkTrn2, "one Trainium2 chip's 96 GiB of HBM"),
		VCPU:        unknown("count", "NSDK", Official, notListed),
		HostMemory:  unknown("GiB", "NSDK", Official, notListed),
		Network:     unknown("Gbit/s", "NSDK", Official, notListed),
		OnDemand:    unknown("USD/h", "KARP", Official, "no on-demand price in the sources consulted; use pricing: capacity-block, or set fleet.price_usd_per_hour"),
		RIEffective: unknown("USD/h", "NSDK", Official, noRI),
		CapacityBlock: cb26(2.235, dateCBLoka, "ap-southeast-2; quoted by Loka (\"Running Hugging Face Carbon on AWS Trainium2 with NxD Inference\", "+
			dateCBLoka+"); the per-chip rate of trn2.48xlarge's us-east-2 quote"),
		Spot: noSpotPrice(),
	}
}

func sky(v float64) Fact {
	return off(v, "USD/h", "SKY", skyDetail).withDate(dateSKY).withNote("no newer price in the sources consulted")
}

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
		CapacityBlock: unknown("USD/h", "CB26", ThirdParty, noCB),
		Spot:          noSpotPrice(),
	}
}

// binaryMem reads an instance's accelerator memory, listed in "GB", as GiB:
// the memory of the A100 and H100/H200 GPUs it adds up (hbmBinary).
func binaryMem(in *Instance) *Instance {
	m := in.AccelMemory
	in.AccelMemory = est(m.Value, "GiB", m.Source, m.Detail, "the listed GB read as GiB, as the GPUs' memory is (see the chip)")
	return in
}

// oldCB is a Capacity Blocks rate from the late-2024 page, before the June-2025 cut.
func oldCB(v float64, note string) Fact {
	return tp(v, "USD/h", "CB", "Capacity Blocks pricing table").withDate(dateCB).withNote(note)
}

func withCB(in *Instance, cb Fact) *Instance {
	in.CapacityBlock = cb
	return in
}

func withSpot(in *Instance, spot Fact) *Instance {
	in.Spot = spot
	return in
}

// withNet400 sets the 400 Gbps the CB page gives for p4d.
func withNet400(in *Instance) *Instance {
	in.Network = tp(400, "Gbit/s", "CB", "network for p4d")
	return in
}

// ec2Memory is the note of an instance spec recalled from its AWS page.
const ec2Memory = "the AWS instance-type page's figure from memory (unverified); the other sources consulted do not list this size"

// ec2Specs relabels the GPUs, memory, vCPUs and host memory of an instance
// the SKY snapshot consulted does not list as recollections of its AWS
// instance-type page (aws.amazon.com/ec2/instance-types/FAMILY), and sets
// its network bandwidth from the same page.
func ec2Specs(in *Instance, family string, netGbps float64) *Instance {
	page := "aws.amazon.com/ec2/instance-types/" + family
	recalled := func(f Fact) Fact { return est(f.Value, f.Unit, "EC2", page, ec2Memory) }
	in.Chips, in.AccelMemory, in.VCPU, in.HostMemory = recalled(in.Chips), recalled(in.AccelMemory), recalled(in.VCPU), recalled(in.HostMemory)
	return withEC2Net(in, family, netGbps)
}

// withEC2Net sets an instance's network bandwidth as its AWS instance-type
// page gives it, from memory.
func withEC2Net(in *Instance, family string, gbps float64) *Instance {
	in.Network = est(gbps, "Gbit/s", "EC2", "aws.amazon.com/ec2/instance-types/"+family,
		"from memory of the page (unverified); the other sources consulted do not give it")
	return in
}

// withNet sets the 3,200 Gbps the CB page gives for p5, p5e and p5en.
func withNet(in *Instance) *Instance {
	in.Network = tp(3200, "Gbit/s", "CB", "network for p5, p5e and p5en")
	return in
}
