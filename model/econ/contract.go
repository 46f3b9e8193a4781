package econ

// Licensing contract kinds.
const (
	ContractPerDocument      = "per-document"      // a fee per document retrieved
	ContractRevenueShare     = "revenue-share"     // a share of the revenue of sessions that retrieve
	ContractFlat             = "flat"              // a flat annual fee
	ContractMinimumGuarantee = "minimum-guarantee" // per-document fees, with an annual minimum
)

// ContractKinds lists the kinds in documentation order.
func ContractKinds() []string {
	return []string{ContractPerDocument, ContractRevenueShare, ContractFlat, ContractMinimumGuarantee}
}

// How often a minimum guarantee is trued up: once a contract year (the
// public guarantees are stated per year), or every forecast period.
const (
	TrueUpAnnual = "annual"
	TrueUpPeriod = "period"
)

// TrueUps lists the true-up periods in documentation order.
func TrueUps() []string { return []string{TrueUpAnnual, TrueUpPeriod} }

// FlatFeeUSD is a flat annual fee prorated to a period of periodYears.
func FlatFeeUSD(annualUSD, periodYears float64) float64 { return annualUSD * periodYears }

// GuaranteeShortfallUSD is the true-up of a minimum guarantee over a span
// of spanYears (a contract year, a period, or the part of a contract year
// a forecast covers): what the per-use fees accrued in the span fell short
// of the annual minimum prorated to it, 0 when they reached it.
func GuaranteeShortfallUSD(perUseUSD, annualMinimumUSD, spanYears float64) float64 {
	return max(0, annualMinimumUSD*spanYears-perUseUSD)
}
