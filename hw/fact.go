package hw

import (
	"fmt"
	"strconv"
)

// Label says how far a number can be trusted.
type Label string

const (
	// Official is vendor material: AWS Neuron docs, AWS price data, NVIDIA datasheets.
	Official Label = "OFF"
	// ThirdParty is third-party reporting or a copy of a vendor page.
	ThirdParty Label = "3P"
	// Estimate is derived arithmetic or an unverified recollection, shown so it can be checked.
	Estimate Label = "EST"
)

// Ref says where something comes from: a source key (see Sources), the
// detail inside that source (a file path, a table), the label and a note.
type Ref struct {
	Source string `json:"source"`
	Detail string `json:"detail,omitempty"`
	Label  Label  `json:"label"`
	Note   string `json:"note,omitempty"`
}

// Fact is one catalogued number, kept in the unit its source states it in so
// that it can be checked against the source by eye; SI converts it. A fact the
// sources do not give is Known == false, has Value 0 and a Note saying so:
// unknown stays unknown, it is never filled with a guess.
type Fact struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Known bool    `json:"known"`
	// Date is the date or snapshot the value is valid for (prices go stale).
	Date string `json:"date,omitempty"`
	Ref
}

// unitScale converts a stated unit to the SI base unit used by the model:
// FLOP/s (or OP/s), bytes, bytes/s, bit/s, USD/h, a count or watts.
var unitScale = map[string]float64{
	"PFLOP/s": 1e15,
	"TFLOP/s": 1e12,
	"TOP/s":   1e12,
	"GiB":     1 << 30,
	"GB":      1e9,
	"MiB":     1 << 20,
	"GiB/s":   1 << 30,
	"GB/s":    1e9,
	"TB/s":    1e12,
	"Gbit/s":  1e9,
	"USD/h":   1,
	"count":   1,
	"W":       1,
	"%":       0.01,
}

// SI returns the value in the model's base unit (see unitScale), or 0 when the
// fact is unknown. An unrecognised unit panics: the catalog test checks every unit.
func (f Fact) SI() float64 {
	if !f.Known {
		return 0
	}
	s, ok := unitScale[f.Unit]
	if !ok {
		panic(fmt.Sprintf("hw: fact with unknown unit %q", f.Unit))
	}
	return f.Value * s
}

// String formats the value with its unit, or "unknown".
func (f Fact) String() string {
	if !f.Known {
		return "unknown"
	}
	v := strconv.FormatFloat(f.Value, 'f', -1, 64)
	if f.Unit == "count" {
		return v
	}
	return v + " " + f.Unit
}

// NamedFact pairs a fact with the field it describes, for listings.
type NamedFact struct {
	Name string `json:"name"`
	Fact
}

// Source is a reference that facts point to by Key.
type Source struct {
	Key         string `json:"key"`
	Description string `json:"description"`
}

// sources are the public documents the catalog's numbers come from, plus two
// of aiecon's own for the few numbers no document gave (each such number is
// labelled EST and says so in its note).
var sources = []Source{
	{"NSDK", "aws-neuron/aws-neuron-sdk GitHub repo, snapshot commit 81ce03ae (latest commit 2026-08-21); paths relative to the repo"},
	{"NSDK-hist", "aws-neuron/aws-neuron-sdk at commits ac17e2d0, 7060a1c6, c6ec6484 and 72825d50 (its git history), for on-demand prices later replaced by RI-effective rates"},
	{"SKY", "skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv @ 001367d2: AWS list on-demand prices, undated snapshot that predates the June-2025 GPU price cut"},
	{"CB", "AWS \"EC2 Capacity Blocks for ML pricing\" page as mirrored at sibshop.uat.jiralog.com/ec2/capacityblocks/pricing, a copy on an unrelated site's test host (rates due for update 2025-01-01); no dated copy on AWS's own site was found, so these rates cannot be checked against a public AWS document [3P mirror]"},
	{"KARP", "aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go, generated from the AWS Price List API (us-east-1 Linux on-demand), at commits 3c499175 (generated 2025-04-28), 1b59328e (2025-06-23), c0a5033d (2025-07-07), 1fc696f4 (2026-05-18) and 6fc13b52 (2026-07-20, the prices shown)"},
	{"KARP-BW", "aws/karpenter-provider-aws pkg/providers/instancetype/zz_generated.bandwidth.go at commit 1d927085: each instance type's baseline network bandwidth, generated from the EC2 API [3P]"},
	{"CB26", "AWS \"EC2 Capacity Blocks for ML pricing\" page (aws.amazon.com/ec2/capacityblocks/pricing) as quoted by Loka, \"Running Hugging Face Carbon on AWS Trainium2 with NxD Inference\" (2026-05-21, trn2 and p4de rates, dated by it); the trn1 and p5en rates, dated 2026-10-08, come from engineering notes with no author, title or URL, and no public dated source for them was found [3P]"},
	{"SP", "aws.amazon.com/savingsplans/faqs: Savings Plans discounts off on-demand, as ceilings (\"up to\")"},
	{"DSTACK", "dstackai/dstack pull request #4110 (2026-08-06): AWS p5en.48xlarge on-demand and spot prices by region [3P]"},
	{"SKY-4019", "skypilot-org/skypilot issue #4019 (2024-09-28): AWS spot against on-demand prices [3P]"},
	{"EPOCH", "epoch-research/training-cost-trends@263c40a1 data/Chip dataset-Grid view.csv: the chip dataset (each figure with the source it records) [3P]"},
	{"GPUE", "gpueconomics.com, \"Understanding AWS Capacity Blocks for GPUs\" (2025) [3P]; site and title only, no page URL found"},
	{"GPUK", "blog post \"GPU & Network Constants\" (2026-01-25) [3P]; no URL or author was recorded for it and no public copy was found, so a reader cannot follow it: its A100, H100, H200 and B200 figures are unverified until checked against NVIDIA's datasheets"},
	{"GPUS", "winston-zhang-orz/gpu-specs specs.md (L4, A10 datasheet values) [3P compilation of NVIDIA datasheets]"},
	{"NV-A100", "NVIDIA A100 Tensor Core GPU datasheet (nvidia.com/en-us/data-center/a100), its SXM 40GB column; the values are transcribed from memory and labelled EST"},
	{"NV-L40S", "NVIDIA L40S GPU datasheet (nvidia.com/en-us/data-center/l40s); the values are transcribed from memory and labelled EST"},
	{"EC2", "AWS EC2 instance-type pages (aws.amazon.com/ec2/instance-types/g5, /g6 and /g6e): GPUs, GPU memory, vCPUs, memory and network per size; the values are transcribed from memory and labelled EST"},
	{"AIECON", "aiecon's own estimate or modelling choice, not a published figure: stated so it can be checked, labelled EST, and overridable where it matters"},
}

// Sources returns the source keys used by the catalog, in a stable order.
func Sources() []Source { return append([]Source(nil), sources...) }

// SourceByKey returns the source with the given key.
func SourceByKey(key string) (Source, bool) {
	for _, s := range sources {
		if s.Key == key {
			return s, true
		}
	}
	return Source{}, false
}

// Constructors keep the catalog tables short and uniform.

func off(v float64, unit, src, detail string) Fact {
	return Fact{Value: v, Unit: unit, Known: true, Ref: Ref{Source: src, Detail: detail, Label: Official}}
}

func tp(v float64, unit, src, detail string) Fact {
	return Fact{Value: v, Unit: unit, Known: true, Ref: Ref{Source: src, Detail: detail, Label: ThirdParty}}
}

func est(v float64, unit, src, detail, note string) Fact {
	return Fact{Value: v, Unit: unit, Known: true, Ref: Ref{Source: src, Detail: detail, Label: Estimate, Note: note}}
}

// unknown records that the consulted source (with its label) does not give the number.
func unknown(unit, src string, label Label, note string) Fact {
	return Fact{Unit: unit, Ref: Ref{Source: src, Label: label, Note: note}}
}

// withNote and withDate return a copy of f with a note or a date attached.
func (f Fact) withNote(n string) Fact { f.Note = n; return f }
func (f Fact) withDate(d string) Fact { f.Date = d; return f }
