package forecast

import (
	"errors"
	"strings"
	"testing"

	"aiecon/runner"
)

// contractForecast is a forecast on the baseline with a per-document
// contract on the shopping assistant from period %[3]s; %[1]s is the
// forecast's set, %[2]s the second variant's, %[4]s its roadmap.
const contractForecast = `name: lic
base: baseline
set:
  workloads[chat].arrivals.diurnal: default
%[1]speriods: {count: 3, length: quarter}
day: {slices: 2, horizon: 3m}
licensing:
  - {name: docs, kind: per-document, workload: shopping-assistant, fee_per_doc: 0.0005, provenance_tokens: 40, from: %[3]s}
variants:
  - name: plain
    procurement: {mode: rented, min: 1, max: 6}
  - name: own
    set:
      workloads[chat].arrivals.rate: 3/s
%[2]s    procurement: {mode: rented, min: 1, max: 6}
%[4]s`

func contractSrc(forecastSet, variantSet, from, roadmap string) string {
	r := strings.NewReplacer("%[1]s", forecastSet, "%[2]s", variantSet, "%[3]s", from, "%[4]s", roadmap)
	return r.Replace(contractForecast)
}

// TestContractTermsRefuseOtherSets: a per-use contract's fee and share
// replace the workload's in every run of a period it is in force, so a
// variant's or a roadmap step's own fee or revenue share for the workload,
// or a removed retrieval block, is refused at its line; so is a forecast
// set of either that no run would use. The runs replaced them without a
// word (a variant at $0.05 a document paid the contract's $0.0005), put
// back a removed block with its defaults, and panicked where the contract
// adds provenance tokens.
func TestContractTermsRefuseOtherSets(t *testing.T) {
	const fee = "      workloads[shopping-assistant].agent.retrieval.fee_per_doc: 0.05\n"
	for _, tt := range []struct{ name, src, want string }{
		{"variant's fee", contractSrc("", fee, "1", ""),
			"test.yaml:15:66: variants[1].set.workloads[shopping-assistant].agent.retrieval.fee_per_doc: gives workload shopping-assistant a retrieval fee_per_doc of 0.05 and revenue_share of 0, but licensing[0] (docs, per-document) prices its retrievals from quarter 1"},
		{"variant's share", contractSrc("", "      workloads[shopping-assistant].agent.retrieval.revenue_share: 0.1\n", "1", ""),
			"variants[1].set.workloads[shopping-assistant].agent.retrieval.revenue_share: gives workload shopping-assistant a retrieval fee_per_doc of 0.0005 and revenue_share of 0.1"},
		{"variant's fee before a later contract", contractSrc("", fee, "3", ""),
			"prices its retrievals from quarter 3: the contract's terms replace the workload's in every period it is in force, so this one would be replaced without a word. Contracts are the forecast's, the same for every variant: change licensing[0]'s terms (a forecast of their own compares other terms), or give a fee before quarter 3 in the forecast's set"},
		{"removed retrieval", contractSrc("", "      workloads[shopping-assistant].agent.retrieval: null\n", "1", ""),
			"test.yaml:15:54: variants[1].set.workloads[shopping-assistant].agent.retrieval: removes workload shopping-assistant's agent.retrieval, but licensing[0] (docs, per-document) prices its retrievals from quarter 1: its runs would put the block back"},
		{"variant's roadmap", contractSrc("", "", "1", "    roadmap:\n      - from: 2\n        set:\n          workloads[1].agent.retrieval.fee_per_doc: 0.05\n"),
			"test.yaml:19:53: variants[1].roadmap[0].set.workloads[1].agent.retrieval.fee_per_doc: gives workload shopping-assistant a retrieval fee_per_doc of 0.05"},
		{"forecast's set", contractSrc(strings.TrimPrefix(fee, "    "), "", "1", ""),
			"test.yaml:5:62: set.workloads[shopping-assistant].agent.retrieval.fee_per_doc: sets workload shopping-assistant's retrieval fee or revenue share, but licensing[0] (docs, per-document) prices its retrievals from quarter 1: the contract's terms replace them in every run"},
	} {
		_, err := Parse("test.yaml", []byte(tt.src), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
			continue
		}
		if n := strings.Count(err.Error(), "test.yaml:"); n != 1 {
			t.Errorf("%s: named %d times:\n%v", tt.name, n, err)
		}
	}
	// What the contract leaves to the workload, and a fee in force only
	// before the contract, are the variant's own.
	for _, src := range []string{
		contractSrc("", "      workloads[shopping-assistant].agent.retrieval.tokens_per_doc: 500\n", "1", ""),
		contractSrc("", "      workloads[shopping-assistant].agent.retrieval.probability: 0\n", "1", ""),
		contractSrc(strings.TrimPrefix(fee, "    "), "", "2", ""),
	} {
		if _, err := Parse("test.yaml", []byte(src), ""); err != nil {
			t.Errorf("refused: %v\n%s", err, src)
		}
	}
}

// TestContractTermsRefusedAtTheirLine: a contract's number out of its range
// is refused when the file is read, at its own line and field, and never as
// a --set nobody typed. A NaN, .inf or 1e308 amount passed a check of
// `< 0`: the forecast ran and printed +InfB, then failed at --json or the
// store with its runs already stored; a per-use fee or provenance tokens
// past the scenario's bounds were refused only as the runs were planned,
// as `--set workloads[research].agent.retrieval.fee_per_doc=1e+308`.
func TestContractTermsRefusedAtTheirLine(t *testing.T) {
	const terms = "kind: minimum-guarantee, workload: shopping-assistant, fee_per_doc: 0.0005, annual_usd: 1e6"
	for _, tt := range []struct{ name, src, want string }{
		{"NaN amount", strings.Replace(small, "annual_usd: 1e6", "annual_usd: .nan", 1),
			"test.yaml:10:111: licensing[0].annual_usd: NaN: want a finite amount from 0 to 1e+15"},
		{"infinite amount", strings.Replace(small, "annual_usd: 1e6", "annual_usd: .inf", 1),
			"test.yaml:10:111: licensing[0].annual_usd: +Inf: want a finite amount from 0 to 1e+15"},
		{"amount past the bound", strings.Replace(small, "annual_usd: 1e6", "annual_usd: 1e308", 1),
			"test.yaml:10:111: licensing[0].annual_usd: 1e+308: want a finite amount from 0 to 1e+15"},
		{"negative amount", strings.Replace(small, "annual_usd: 40000", "annual_usd: -1", 1),
			"test.yaml:11:45: licensing[1].annual_usd: -1: want a finite amount from 0 to 1e+15"},
		{"fee past the bound", strings.Replace(small, "fee_per_doc: 0.0005", "fee_per_doc: 1e308", 1),
			"test.yaml:10:91: licensing[0].fee_per_doc: 1e+308: want a finite amount from 0 to 1e+15"},
		{"NaN fee", strings.Replace(small, "fee_per_doc: 0.0005", "fee_per_doc: .nan", 1),
			"test.yaml:10:91: licensing[0].fee_per_doc: NaN: want a finite amount from 0 to 1e+15"},
		{"NaN share", strings.Replace(small, terms, "kind: revenue-share, workload: shopping-assistant, share: .nan", 1),
			"test.yaml:10:81: licensing[0].share: NaN: want a fraction from 0 to 1"},
		{"share above 1", strings.Replace(small, terms, "kind: revenue-share, workload: shopping-assistant, share: 1.5", 1),
			"test.yaml:10:81: licensing[0].share: 1.5: want a fraction from 0 to 1"},
		{"provenance tokens past a document", strings.Replace(small, "annual_usd: 1e6", "annual_usd: 1e6, provenance_tokens: 99999999999", 1),
			"test.yaml:10:135: licensing[0].provenance_tokens: 99999999999: want 0 to 1048576 tokens a document"},
		// The variant's documents are near the bound: the contract's 40
		// tokens take them past it, which its line says.
		{"provenance tokens past a variant's document",
			contractSrc("", "      workloads[shopping-assistant].agent.retrieval.tokens_per_doc: 1048560\n", "1", ""),
			"test.yaml:8:108: licensing[0].provenance_tokens: 40: added to workload shopping-assistant's 1048560 tokens a document (variant own, quarter 1), " +
				"its runs would read 1048600, past the 1048576 a document may hold"},
	} {
		_, err := Parse("test.yaml", []byte(tt.src), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "--set") || strings.Count(err.Error(), "test.yaml:") != 1 {
			t.Errorf("%s: want one error, naming no --set:\n%v", tt.name, err)
		}
	}
	// The bounds themselves are amounts a contract may have.
	for _, edit := range []string{"annual_usd: 1e15", "annual_usd: 0"} {
		parse(t, strings.Replace(small, "annual_usd: 1e6", edit, 1))
	}
	parse(t, contractSrc("", "      workloads[shopping-assistant].agent.retrieval.tokens_per_doc: 1048536\n", "1", ""))
}
