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

// FlatFeeUSD is a flat annual fee prorated to a period of periodYears.
func FlatFeeUSD(annualUSD, periodYears float64) float64 { return annualUSD * periodYears }

// MinimumGuaranteeUSD is what a minimum-guarantee contract costs over a
// period: the per-use fees, or the annual minimum prorated to the period
// when the use fell short of it. The minimum is trued up every period (a
// quarterly true-up), not once a year.
func MinimumGuaranteeUSD(perUseUSD, annualMinimumUSD, periodYears float64) float64 {
	return max(perUseUSD, annualMinimumUSD*periodYears)
}
