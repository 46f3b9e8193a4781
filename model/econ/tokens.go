package econ

import (
	"fmt"
	"math"
	"strings"
)

// TokenPrices are a workload's token prices per token (not per million),
// after any discount: what the simulator bills every request at.
type TokenPrices struct {
	InUSD  float64 // a prompt token
	OutUSD float64 // an output token
	// CachedOffUSD is what a prompt token served from the prefix cache is
	// billed below a fresh one (the input price less the cached input
	// price, discounted alike): 0 where the two prices are the same.
	CachedOffUSD float64
}

// NewTokenPrices are the per-token prices of per-million-token prices
// (cachedInPerMTok: a cached prompt token; the input price where there is
// no cached price) after discountFrac (the batch tier's, or 0): each is
// PerTokenUSD of its price, the cached offset of inPerMTok -
// cachedInPerMTok.
func NewTokenPrices(inPerMTok, outPerMTok, cachedInPerMTok, discountFrac float64) TokenPrices {
	return TokenPrices{
		InUSD:        PerTokenUSD(inPerMTok, discountFrac),
		OutUSD:       PerTokenUSD(outPerMTok, discountFrac),
		CachedOffUSD: PerTokenUSD(inPerMTok-cachedInPerMTok, discountFrac),
	}
}

// RevenueUSD is what prompt tokens, cached of them served from the prefix
// cache, and output tokens pay:
//
//	prompt x InUSD + output x OutUSD - cached x CachedOffUSD
//
// The cached share is taken off the whole prompt billed at the input
// price rather than the fresh share billed apart, so that with no cached
// price (an offset of 0) the sum is the one of builds before cached
// prices, to the bit, and stored runs' digests keep.
func (p TokenPrices) RevenueUSD(prompt, cached, output int64) float64 {
	return float64(prompt)*p.InUSD + float64(output)*p.OutUSD - float64(cached)*p.CachedOffUSD
}

// PerTokenUSD is a per-million-token price billed per token after
// discountFrac: DiscountedUSD(perMTokUSD, discountFrac) / 1e6. The
// discount comes before the division, in the order the simulator always
// billed in, so that runs keep their digests.
func PerTokenUSD(perMTokUSD, discountFrac float64) float64 {
	return DiscountedUSD(perMTokUSD, discountFrac) / 1e6
}

// DefaultBatchDiscountFrac is the batch tier's discount off on-demand token
// prices: Amazon Bedrock's batch mode is 50% of on-demand for the models that
// list it (convo-lang/convo-lang packages/convo-lang-bedrock/bedrock-pricing.md,
// a copy of aws.amazon.com/bedrock/pricing dated 2025-07-20, no commit known;
// docs/hardware.md).
const DefaultBatchDiscountFrac = 0.5

// DiscountedUSD is price x (1 - discountFrac): the batch tier, or any
// negotiated discount, expressed as a fraction of the on-demand price.
func DiscountedUSD(priceUSD, discountFrac float64) float64 {
	return priceUSD * (1 - discountFrac)
}

// ListPrice is a published per-token price of a hosted model.
type ListPrice struct {
	Model             string  // an llm catalog name
	InputUSDPerMTok   float64 // on-demand, $ per million input tokens
	OutputUSDPerMTok  float64 // on-demand, $ per million output tokens
	BatchDiscountFrac float64 // batch tier discount (0 = no batch tier listed)
	Source            string
}

// bedrockSource is the copy every list price comes from; no commit of it
// is known, so it is cited by repository and path alone.
const bedrockSource = "Amazon Bedrock on-demand price, aws.amazon.com/bedrock/pricing as copied on 2025-07-20 " +
	"in convo-lang/convo-lang packages/convo-lang-bedrock/bedrock-pricing.md [3P copy of an official page; no commit known]"

// bedrockRechecked is bedrockSource for the prices the built-in scenarios
// sell at, read again, unchanged, on 2026-07-24. That mirror still lists
// Llama 3.1 405B at its launch price, so the other rows are not re-checked.
const bedrockRechecked = bedrockSource + "; unchanged on 2026-07-24 in the LiteLLM price map's mirror " +
	"RoCry/llm-api-price@8442b939a6ead479f7995b5d74d8dce488bd0966:model_prices_and_context_window.json [3P]"

// listPrices are the Bedrock prices of the catalog models that Bedrock sells
// (that copy's table). Llama-3 (not 3.1) and Mixtral are not in that table, so they have none.
// Llama 4 Scout's row lists no batch tier.
var listPrices = []ListPrice{
	{"llama-3.1-8b", 0.22, 0.22, 0.5, bedrockRechecked},
	{"llama-3.1-70b", 0.72, 0.72, 0.5, bedrockSource},
	{"llama-3.3-70b", 0.72, 0.72, 0.5, bedrockRechecked},
	{"llama-3.1-405b", 2.40, 2.40, 0.5, bedrockSource},
	{"llama-4-maverick-17b-128e", 0.24, 0.97, 0.5, bedrockSource},
	{"llama-4-scout-17b-16e", 0.17, 0.66, 0, bedrockSource},
}

// LookupListPrice returns the published price of a catalog model: run
// names the served model's beside a workload billed at another model's
// (TOKEN PRICE OF ANOTHER MODEL). It is not a default: a workload's
// token price is 0 unless its price block gives one (docs/scenarios.md),
// and run warns of an api or batch workload that gives none (NO TOKEN
// PRICE); the built-in scenarios write these prices out.
func LookupListPrice(model string) (ListPrice, error) {
	names := make([]string, len(listPrices))
	for i, p := range listPrices {
		if p.Model == model {
			return p, nil
		}
		names[i] = p.Model
	}
	return ListPrice{}, fmt.Errorf("no list price for model %q (known: %s); set the workload price explicitly", model, strings.Join(names, ", "))
}

// DearestListPriceUSDPerMTok is the highest price per million tokens,
// input or output, of the list prices above: run's SUSPECT VALUE check
// measures a workload's token price against it.
func DearestListPriceUSDPerMTok() float64 {
	dearest := 0.0
	for _, p := range listPrices {
		dearest = max(dearest, p.InputUSDPerMTok, p.OutputUSDPerMTok)
	}
	return dearest
}

// ListPricesAt returns the published prices of the catalog models that list
// at exactly inPerMTok / outPerMTok, in catalog order (none for a price no
// model lists). run reads it to tell a workload still billed at another
// model's price after its model changed (cmd/aiecon, TOKEN PRICE OF
// ANOTHER MODEL); a scenario's price is written out, so equality is exact.
func ListPricesAt(inPerMTok, outPerMTok float64) []ListPrice {
	var out []ListPrice
	for _, p := range listPrices {
		if p.InputUSDPerMTok == inPerMTok && p.OutputUSDPerMTok == outPerMTok {
			out = append(out, p)
		}
	}
	return out
}

// HourlyCostUSD is durationS of something billed at priceUSDPerHour
// (an instance, a fleet, a training job): durationS / 3600 x priceUSDPerHour.
func HourlyCostUSD(durationS, priceUSDPerHour float64) float64 {
	return durationS / 3600 * priceUSDPerHour
}

// CostPerMTokUSD is costUSD spread over tokens, per million tokens:
// costUSD / tokens x 1e6. It is NaN when tokens is 0 (undefined, not free).
func CostPerMTokUSD(costUSD float64, tokens int64) float64 {
	if tokens == 0 {
		return math.NaN()
	}
	return costUSD / float64(tokens) * 1e6
}

// MinMarginRevenueUSD is the least revenue a margin is taken on: a
// billionth of a dollar, the finest amount a cell prints
// (format.USDCompact). Below it there is no revenue to speak of, and a
// margin on it (prices of 1e-300 USD/Mtok gave -1.2e300) means nothing.
const MinMarginRevenueUSD = 1e-9

// GrossMarginFrac is (revenue - cost) / revenue; NaN when revenue is 0 (or
// less than MinMarginRevenueUSD either side of it), which prints as "-".
func GrossMarginFrac(revenueUSD, costUSD float64) float64 {
	if math.Abs(revenueUSD) < MinMarginRevenueUSD {
		return math.NaN()
	}
	return (revenueUSD - costUSD) / revenueUSD
}
