package hw

import (
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

const (
	factsPath     = "../../shared/reference/hardware-facts.md"
	econFactsPath = "../../shared/reference/economics-facts.md"
)

// TestCatalogSpotChecks compares a table of numbers against
// hardware-facts.md: the value, unit and label in the catalog, and (when the
// file is present) that the number as written appears in the file's text.
func TestCatalogSpotChecks(t *testing.T) {
	chip := func(name string, f func(*Chip) Fact) func(t *testing.T) Fact {
		return func(t *testing.T) Fact {
			c, err := ChipByName(name)
			if err != nil {
				t.Fatal(err)
			}
			return f(c)
		}
	}
	inst := func(name string, f func(*Instance) Fact) func(t *testing.T) Fact {
		return func(t *testing.T) Fact {
			in, err := InstanceByName(name)
			if err != nil {
				t.Fatal(err)
			}
			return f(in)
		}
	}
	ri := func(in *Instance) Fact { return in.RIEffective }
	od := func(in *Instance) Fact { return in.OnDemand }
	tests := []struct {
		what  string
		get   func(t *testing.T) Fact
		value float64
		unit  string
		label Label
		text  string // as written in hardware-facts.md or economics-facts.md ("": in neither)
	}{
		{"Inferentia2 fp32", chip("Inferentia2", func(c *Chip) Fact { return c.Peak.FP32 }), 47.5, "TFLOP/s", Official, "47.5"},
		{"Inferentia2 bf16", chip("Inferentia2", func(c *Chip) Fact { return c.Peak.BF16 }), 190, "TFLOP/s", Official, "190"},
		{"Inferentia2 int8", chip("Inferentia2", func(c *Chip) Fact { return c.Peak.INT8 }), 380, "TOP/s", Official, "380"},
		{"Inferentia2 hbm bw", chip("Inferentia2", func(c *Chip) Fact { return c.HBMBandwidth }), 820, "GiB/s", Official, "820 GiB/s"},
		{"Inferentia2 link", chip("Inferentia2", func(c *Chip) Fact { return c.Link }), 192, "GiB/s", Official, "192 GiB/s/chip"},
		{"Trainium1 sbuf", chip("Trainium1", func(c *Chip) Fact { return c.SRAM }), 48, "MiB", Official, "48 MiB SBUF"},
		{"Trainium1 link", chip("Trainium1", func(c *Chip) Fact { return c.Link }), 384, "GB/s", Official, "384 GB/s/chip"},
		{"Trainium2 bf16", chip("Trainium2", func(c *Chip) Fact { return c.Peak.BF16 }), 667, "TFLOP/s", Official, "667"},
		{"Trainium2 fp8", chip("Trainium2", func(c *Chip) Fact { return c.Peak.FP8 }), 1299, "TFLOP/s", Official, "1,299"},
		{"Trainium2 fp32", chip("Trainium2", func(c *Chip) Fact { return c.Peak.FP32 }), 181, "TFLOP/s", Official, "181"},
		{"Trainium2 hbm", chip("Trainium2", func(c *Chip) Fact { return c.HBM }), 96, "GiB", Official, "| 96 |"},
		{"Trainium2 hbm bw", chip("Trainium2", func(c *Chip) Fact { return c.HBMBandwidth }), 2.9, "TB/s", Official, "2.9 TB/s"},
		{"Trainium2 sram", chip("Trainium2", func(c *Chip) Fact { return c.SRAM }), 224, "MiB", Official, "224 MiB"},
		{"Trainium2 devices", chip("Trainium2", func(c *Chip) Fact { return c.DevicesPerChip }), 4, "count", Official, "4 logical cores"},
		{"Trainium3 fp8", chip("Trainium3", func(c *Chip) Fact { return c.Peak.FP8 }), 2517, "TFLOP/s", Official, "2,517"},
		{"Trainium3 hbm", chip("Trainium3", func(c *Chip) Fact { return c.HBM }), 144, "GiB", Official, "| 144 |"},
		{"Trainium3 hbm bw", chip("Trainium3", func(c *Chip) Fact { return c.HBMBandwidth }), 4.9, "TB/s", Official, "4.9 TB/s"},
		{"Trainium3 link", chip("Trainium3", func(c *Chip) Fact { return c.Link }), 2.56, "TB/s", Official, "2.56 TB/s/chip"},
		{"A10G bf16", chip("A10G", func(c *Chip) Fact { return c.Peak.BF16 }), 125, "TFLOP/s", ThirdParty, "≈125"},
		{"A10G hbm bw", chip("A10G", func(c *Chip) Fact { return c.HBMBandwidth }), 600, "GB/s", ThirdParty, "600 GB/s"},
		{"L4 fp8", chip("L4", func(c *Chip) Fact { return c.Peak.FP8 }), 242, "TFLOP/s", ThirdParty, "242"},
		{"L4 tdp", chip("L4", func(c *Chip) Fact { return c.TDP }), 72, "W", Estimate, "72 W"},
		{"A100 bw", chip("A100-80GB", func(c *Chip) Fact { return c.HBMBandwidth }), 2039, "GB/s", ThirdParty, "2,039 GB/s"},
		{"H100 bf16", chip("H100", func(c *Chip) Fact { return c.Peak.BF16 }), 989, "TFLOP/s", ThirdParty, "989"},
		{"H100 bw", chip("H100", func(c *Chip) Fact { return c.HBMBandwidth }), 3.35, "TB/s", ThirdParty, "3.35 TB/s"},
		{"H200 hbm", chip("H200", func(c *Chip) Fact { return c.HBM }), 141, "GiB", Estimate, "141 GB"},
		{"B200 fp8", chip("B200", func(c *Chip) Fact { return c.Peak.FP8 }), 4500, "TFLOP/s", ThirdParty, "4,500"},
		{"B200 bw", chip("B200", func(c *Chip) Fact { return c.HBMBandwidth }), 7.7, "TB/s", ThirdParty, "7.7 TB/s"},
		{"B200 link", chip("B200", func(c *Chip) Fact { return c.Link }), 1.8, "TB/s", ThirdParty, "1.8 TB/s"},
		{"inf2.48xlarge host", inst("inf2.48xlarge", func(in *Instance) Fact { return in.HostMemory }), 768, "GiB", Official, "192 / 768"},
		{"inf2.48xlarge net", inst("inf2.48xlarge", func(in *Instance) Fact { return in.Network }), 100, "Gbit/s", ThirdParty, "2.083 / 16.667 / 50 / 100 Gbps"},
		{"inf2.xlarge net", inst("inf2.xlarge", func(in *Instance) Fact { return in.Network }), 2.083, "Gbit/s", ThirdParty, "2.083 / 16.667 / 50 / 100 Gbps"},
		{"Trainium2 power", chip("Trainium2", func(c *Chip) Fact { return c.TDP }), 500, "W", ThirdParty, "| Trainium2 power | ≈500 | W/chip"},
		{"trn1.32xlarge net", inst("trn1.32xlarge", func(in *Instance) Fact { return in.Network }), 800, "Gbit/s", Official, "800 Gbps EFA"},
		{"inf2.48xlarge ri", inst("inf2.48xlarge", ri), 5.608, "USD/h", Official, "5.608"},
		{"trn1.32xlarge ri", inst("trn1.32xlarge", ri), 8.197, "USD/h", Official, "8.197"},
		{"trn2.48xlarge mem", inst("trn2.48xlarge", func(in *Instance) Fact { return in.AccelMemory }), 1536, "GiB", Official, "1,536 GiB"},
		{"trn2.3xlarge capacity block", inst("trn2.3xlarge", func(in *Instance) Fact { return in.CapacityBlock }), 2.235, "USD/h", ThirdParty,
			"| trn2.3xlarge (1 chip) CB, ap-southeast-2 | 2.235 |"},
		{"trn2.3xlarge chips", inst("trn2.3xlarge", func(in *Instance) Fact { return in.Chips }), 1, "count", ThirdParty, "trn2.3xlarge (1 chip)"},
		{"p5en mem", inst("p5en.48xlarge", func(in *Instance) Fact { return in.AccelMemory }), 1128, "GiB", Estimate, "1,128 GB"},
		{"p4d on-demand", inst("p4d.24xlarge", od), 21.957642, "USD/h", Official, "21.957642"},
		{"p4d capacity block", inst("p4d.24xlarge", func(in *Instance) Fact { return in.CapacityBlock }), 14.75, "USD/h", ThirdParty, "| 14.75 | 1.844 |"},
		{"p4d spot", inst("p4d.24xlarge", func(in *Instance) Fact { return in.Spot }), 9.279, "USD/h", ThirdParty, "9.279"},
		{"p4d net", inst("p4d.24xlarge", func(in *Instance) Fact { return in.Network }), 400, "Gbit/s", ThirdParty, "400 Gbps for p4d"},
		{"p4d mem", inst("p4d.24xlarge", func(in *Instance) Fact { return in.AccelMemory }), 320, "GiB", Estimate, "| 320 GB | 96 / 1,152 |"},
		{"g5.48xlarge on-demand", inst("g5.48xlarge", od), 16.288, "USD/h", Official, "16.288 / 13.3504 / 30.13118"},
		{"g6.48xlarge on-demand", inst("g6.48xlarge", od), 13.3504, "USD/h", Official, "16.288 / 13.3504 / 30.13118"},
		{"g6e.48xlarge on-demand", inst("g6e.48xlarge", od), 30.13118, "USD/h", Official, "16.288 / 13.3504 / 30.13118"},
		{"g6e.48xlarge host", inst("g6e.48xlarge", func(in *Instance) Fact { return in.HostMemory }), 1536, "GiB", Official, "| 384 GB | 192 / 1,536 |"},
		// Datasheet values from memory: EST, and absent from the reference notes ("").
		{"A100-40GB bw", chip("A100-40GB", func(c *Chip) Fact { return c.HBMBandwidth }), 1555, "GB/s", Estimate, ""},
		{"A100-40GB hbm", chip("A100-40GB", func(c *Chip) Fact { return c.HBM }), 40, "GiB", Estimate, ""},
		{"A100-40GB bf16", chip("A100-40GB", func(c *Chip) Fact { return c.Peak.BF16 }), 312, "TFLOP/s", Estimate, "| 312 |"},
		{"L40S bf16", chip("L40S", func(c *Chip) Fact { return c.Peak.BF16 }), 362.05, "TFLOP/s", Estimate, ""},
		{"L40S mem", chip("L40S", func(c *Chip) Fact { return c.HBM }), 48, "GB", Estimate, ""},
		{"L40S bw", chip("L40S", func(c *Chip) Fact { return c.HBMBandwidth }), 864, "GB/s", Estimate, ""},
	}
	facts, err := os.ReadFile(factsPath)
	if err == nil {
		econ, _ := os.ReadFile(econFactsPath)
		facts = append(facts, econ...)
	}
	if err != nil {
		t.Logf("skipping the text check: %v (hardware-facts.md lives in ../shared/reference)", err)
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			f := tt.get(t)
			if !f.Known || f.Value != tt.value || f.Unit != tt.unit || f.Label != tt.label {
				t.Errorf("got %v (known %v, label %s), want %v %s (%s)", f, f.Known, f.Label, tt.value, tt.unit, tt.label)
			}
			if f.Source == "" {
				t.Errorf("no source")
			}
			if facts != nil && !strings.Contains(string(facts), tt.text) {
				t.Errorf("%q does not appear in hardware-facts.md: the spot-check table is wrong", tt.text)
			}
		})
	}
}

// TestNoInventedPrices checks that the prices the facts file says it did not
// find are unknown in the catalog, not filled in.
func TestNoInventedPrices(t *testing.T) {
	tests := []struct {
		instance string
		field    string
	}{
		{"trn2u.48xlarge", "on_demand"},
		{"p5e.48xlarge", "on_demand"},
		{"trn2.48xlarge", "on_demand"},
		{"p5.48xlarge", "spot"},
		{"trn2.48xlarge", "spot"},
		{"trn1n.32xlarge", "ri_effective"},
		{"trn2.48xlarge", "ri_effective"},
		{"trn2u.48xlarge", "ri_effective"},
		{"p5.48xlarge", "ri_effective"},
		{"g5.xlarge", "capacity_block"},
		{"inf2.48xlarge", "capacity_block"},
		{"trn2.3xlarge", "on_demand"},
		{"trn2.3xlarge", "vcpu"},
		{"trn2.3xlarge", "host_memory"},
		{"trn2.3xlarge", "network"},
	}
	for _, tt := range tests {
		in, err := InstanceByName(tt.instance)
		if err != nil {
			t.Fatal(err)
		}
		for _, nf := range in.Facts() {
			if nf.Name != tt.field {
				continue
			}
			if nf.Known || nf.Value != 0 || nf.Note == "" {
				t.Errorf("%s %s = %v (known %v, note %q), want unknown with a note", tt.instance, tt.field, nf.Value, nf.Known, nf.Note)
			}
		}
	}
}

// TestCatalogInvariants runs over every fact: a source key that exists, a
// convertible unit, and unknowns that say why.
func TestCatalogInvariants(t *testing.T) {
	check := func(where string, nf NamedFact) {
		t.Helper()
		if _, ok := SourceByKey(nf.Source); !ok {
			t.Errorf("%s %s: source key %q is not in Sources()", where, nf.Name, nf.Source)
		}
		if _, ok := unitScale[nf.Unit]; !ok {
			t.Errorf("%s %s: unit %q has no SI conversion", where, nf.Name, nf.Unit)
		}
		switch nf.Label {
		case Official, ThirdParty, Estimate:
		default:
			t.Errorf("%s %s: label %q", where, nf.Name, nf.Label)
		}
		if !nf.Known && (nf.Value != 0 || nf.Note == "") {
			t.Errorf("%s %s: unknown fact must have value 0 and a note, got %v %q", where, nf.Name, nf.Value, nf.Note)
		}
		if nf.Known && nf.Value <= 0 {
			t.Errorf("%s %s: known fact with value %v", where, nf.Name, nf.Value)
		}
		if nf.Label == Estimate && nf.Note == "" {
			t.Errorf("%s %s: an estimate must say what it rests on", where, nf.Name)
		}
	}
	wantChips := []string{"A100-40GB", "A100-80GB", "A10G", "B200", "H100", "H200", "Inferentia2", "L4", "L40S", "Trainium1", "Trainium2", "Trainium3"}
	if got := ChipNames(); strings.Join(got, ",") != strings.Join(wantChips, ",") {
		t.Errorf("chips = %v, want %v", got, wantChips)
	}
	for _, c := range Chips() {
		for _, nf := range c.Facts() {
			check(c.Name, nf)
		}
		if c.Family != FamilyNeuron && c.Family != FamilyGPU {
			t.Errorf("%s: family %q", c.Name, c.Family)
		}
		if c.Devices() < 1 || !c.Peak.BF16.Known || !c.HBM.Known || !c.HBMBandwidth.Known || !c.CollectiveBandwidth.Known {
			t.Errorf("%s: the perf model needs devices, bf16 peak, HBM, its bandwidth and the collective bandwidth", c.Name)
		}
		if len(c.TP.Degrees) == 0 || c.TP.Degrees[0] != 1 || c.Tile.M <= 0 || c.Tile.N <= 0 || c.Tile.K <= 0 {
			t.Errorf("%s: TP degrees %v, tile %+v", c.Name, c.TP.Degrees, c.Tile)
		}
	}
	for _, n := range []string{"inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge", "trn1.2xlarge", "trn1.32xlarge",
		"trn1n.32xlarge", "trn2.3xlarge", "trn2.48xlarge", "trn2u.48xlarge", "g5.xlarge", "g5.12xlarge", "g6.xlarge", "p4de.24xlarge",
		"p5.48xlarge", "p5en.48xlarge", "p6-b200.48xlarge", "p4d.24xlarge", "g5.48xlarge", "g6.48xlarge", "g6e.48xlarge"} {
		if _, err := InstanceByName(n); err != nil {
			t.Errorf("instance required by the issue: %v", err)
		}
	}
	for _, in := range Instances() {
		for _, nf := range in.Facts() {
			check(in.Name, nf)
		}
		c, err := in.ChipSpec()
		if err != nil {
			t.Fatal(err)
		}
		if !in.OnDemand.Known && in.OnDemand.Date != "" {
			t.Errorf("%s: unknown price with a date", in.Name)
		}
		if in.OnDemand.Known && in.OnDemand.Date == "" {
			t.Errorf("%s: price without its date", in.Name)
		}
		// Accelerator memory = chips x chip HBM (units may differ: compare in SI).
		if got, want := in.AccelMemory.SI(), in.Chips.Value*c.HBM.SI(); math.Abs(got/want-1) > 0.001 {
			t.Errorf("%s: accel memory %v != %v chips x %v", in.Name, in.AccelMemory, in.Chips.Value, c.HBM)
		}
	}
}

// TestInstanceLevelFiguresAgree checks chips x per-chip figures against the
// instance-level figures the Neuron docs state (within their rounding).
func TestInstanceLevelFiguresAgree(t *testing.T) {
	n := 0
	for _, in := range Instances() {
		c, _ := in.ChipSpec()
		for _, s := range in.Stated {
			var per Fact
			switch s.Name {
			case "peak_bf16":
				per = c.Peak.BF16
			case "peak_fp8":
				per = c.Peak.FP8
			case "hbm_bandwidth":
				per = c.HBMBandwidth
			default:
				t.Fatalf("%s: no check for stated %s", in.Name, s.Name)
			}
			got, want := in.Chips.Value*per.SI(), s.SI()
			if math.Abs(got/want-1) > 0.005 {
				t.Errorf("%s %s: %v chips x %v = %g, stated %v", in.Name, s.Name, in.Chips.Value, per, got, s.Fact)
			}
			n++
		}
	}
	if n < 7 {
		t.Errorf("only %d instance-level figures checked", n)
	}
}

func TestLookupErrorsListNames(t *testing.T) {
	_, err := InstanceByName("trn9.48xlarge")
	if err == nil || !strings.Contains(err.Error(), "trn9.48xlarge") || !strings.Contains(err.Error(), "trn2.48xlarge") {
		t.Errorf("InstanceByName error = %v, want the name and the known names", err)
	}
	_, err = ChipByName("Trainium9")
	if err == nil || !strings.Contains(err.Error(), "Trainium2") {
		t.Errorf("ChipByName error = %v", err)
	}
	if c, err := ChipByName("trainium2"); err != nil || c.Name != "Trainium2" {
		t.Errorf("case-insensitive lookup: %v, %v", c, err)
	}
	// A copy: changing it leaves the catalog alone.
	c, _ := ChipByName("H100")
	c.TP.Degrees[0] = 99
	c2, _ := ChipByName("H100")
	if c2.TP.Degrees[0] != 1 {
		t.Error("ChipByName returned a shared slice")
	}
}

func TestNearest(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"trn2.48xl", "trn2.48xlarge"},
		{"inf2.48xlarg", "inf2.48xlarge"},
		{"h100", "H100"},
		{"p5en", "p5en.48xlarge"},
	}
	names := append(InstanceNames(), ChipNames()...)
	for _, tt := range tests {
		if got := Nearest(tt.name, names, 3); len(got) == 0 || got[0] != tt.want {
			t.Errorf("Nearest(%q) = %v, want %q first", tt.name, got, tt.want)
		}
	}
}

func TestFactFormatting(t *testing.T) {
	tests := []struct {
		f    Fact
		want string
		si   float64
	}{
		{off(820, "GiB/s", "NSDK", ""), "820 GiB/s", 820 * (1 << 30)},
		{off(2.9, "TB/s", "NSDK", ""), "2.9 TB/s", 2.9e12},
		{off(16, "count", "NSDK", ""), "16", 16},
		{unknown("USD/h", "SKY", Official, "not found"), "unknown", 0},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if got := tt.f.SI(); math.Abs(got-tt.si) > 1e-9*tt.si {
			t.Errorf("SI(%v) = %g, want %g", tt.f, got, tt.si)
		}
	}
}

// TestEightGPUInstances checks the 8-GPU instances a published benchmark is
// likely to name: the chip and step family each runs under, the memory and
// the per-device collective bandwidth the model sees (NVLink on p4d, PCIe on
// the g instances, as on g5.12xlarge), the price with its date, and that
// every fact of the instance and its chip names a source.
func TestEightGPUInstances(t *testing.T) {
	tests := []struct {
		instance, chip, family string
		memBytes               float64 // the instance's accelerator memory
		linkBytesPerS          float64 // per device and direction
		onDemand               float64
	}{
		{"p4d.24xlarge", "A100-40GB", StepGPUAmpere, 320 << 30, 300e9, 21.957642},
		{"p4de.24xlarge", "A100-80GB", StepGPUAmpere, 640 << 30, 300e9, 27.44705},
		{"g5.12xlarge", "A10G", StepGPUAmpere, 96e9, 32e9, 5.672},
		{"g5.48xlarge", "A10G", StepGPUAmpere, 192e9, 32e9, 16.288},
		{"g6.48xlarge", "L4", StepGPU, 192e9, 32e9, 13.3504},
		{"g6e.48xlarge", "L40S", StepGPU, 384e9, 32e9, 30.13118},
	}
	for _, tt := range tests {
		t.Run(tt.instance, func(t *testing.T) {
			in, err := InstanceByName(tt.instance)
			if err != nil {
				t.Fatal(err)
			}
			c, err := in.ChipSpec()
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != tt.chip || c.StepFamily != tt.family {
				t.Errorf("chip %s (%s), want %s (%s)", c.Name, c.StepFamily, tt.chip, tt.family)
			}
			if got := in.AccelMemory.SI(); got != tt.memBytes {
				t.Errorf("accelerator memory %g bytes, want %g", got, tt.memBytes)
			}
			if got := DeviceOf(c).LinkBytesPerS; got != tt.linkBytesPerS {
				t.Errorf("collective bandwidth %g B/s per device, want %g", got, tt.linkBytesPerS)
			}
			if in.OnDemand.Value != tt.onDemand || in.OnDemand.Date == "" {
				t.Errorf("on-demand %v (date %q), want %g with its date", in.OnDemand, in.OnDemand.Date, tt.onDemand)
			}
			if tp, _ := in.TPDegrees(); len(tp) == 0 || tp[len(tp)-1] != int(in.Chips.Value) {
				t.Errorf("TP degrees %v, want up to the instance's %v GPUs", tp, in.Chips.Value)
			}
			for _, nf := range append(in.Facts(), c.Facts()...) {
				if _, ok := SourceByKey(nf.Source); !ok {
					t.Errorf("%s: source %q is not in Sources()", nf.Name, nf.Source)
				}
				if nf.Known && nf.Label != Official && nf.Note == "" && nf.Detail == "" {
					t.Errorf("%s: a %s fact that says neither where in its source nor why", nf.Name, nf.Label)
				}
			}
		})
	}
}

// TestNeuronTPDegrees: transformers-neuronx, the stack the neuron-v2
// constants are fitted to, pads heads to any degree, so TP12 (all of an
// inf2.24xlarge's NeuronCores) and TP4 on trn1 are degrees; an instance
// still offers none above its NeuronCores (trn2.3xlarge's one chip: 4
// logical cores).
func TestNeuronTPDegrees(t *testing.T) {
	for _, tt := range []struct {
		instance string
		want     []int
	}{
		{"inf2.xlarge", []int{1, 2}},
		{"inf2.8xlarge", []int{1, 2}},
		{"inf2.24xlarge", []int{1, 2, 4, 8, 12}},
		{"inf2.48xlarge", []int{1, 2, 4, 8, 12, 24}},
		{"trn1.2xlarge", []int{1, 2}},
		{"trn1.32xlarge", []int{1, 2, 4, 8, 16, 32}},
		{"trn1n.32xlarge", []int{1, 2, 4, 8, 16, 32}},
		{"trn2.3xlarge", []int{1, 2, 4}},
	} {
		in, err := InstanceByName(tt.instance)
		if err != nil {
			t.Fatal(err)
		}
		got, err := in.TPDegrees()
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: TP degrees %v (%v), want %v", tt.instance, got, err, tt.want)
		}
	}
}
