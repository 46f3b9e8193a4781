package hw

// Commitment discounts that apply across instance types. AWS publishes them
// as ceilings ("up to"), not as rates per instance; what a commitment earns
// on a given instance must come from the buyer's own quote (a scenario sets
// fleet.price_usd_per_hour, or uses pricing: reserved where the catalog has
// the Neuron SDK's RI-effective rate).
var pricingTerms = []NamedFact{
	{"ec2_instance_savings_plan_max_discount", off(72, "%", "SP", "EC2 Instance Savings Plans").
		withDate("current page").withNote("1- or 3-year commitment to one instance family in one region")},
	{"compute_savings_plan_max_discount", off(66, "%", "SP", "Compute Savings Plans").
		withDate("current page").withNote("1- or 3-year commitment to a dollar amount per hour, any family or region")},
}

// PricingTerms returns the catalog's cross-instance pricing facts (Savings
// Plans ceilings), for display next to the instance prices.
func PricingTerms() []NamedFact { return append([]NamedFact(nil), pricingTerms...) }
