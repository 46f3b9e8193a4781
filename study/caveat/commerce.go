package caveat

import (
	"fmt"
	"strings"

	"aiecon/model"
)

// GrossCommerce is run's COMMERCE COUNTED GROSS for a scenario's workloads
// and the commerce and total revenue of what it earned ("" when none of
// its commerce is gross, or it rounds to 0% of revenue): optimize and
// sweep rank on margins made of the same line, and say so in these words.
func GrossCommerce(sc *model.Scenario, commerce, revenue float64) string {
	var names []string
	others := false // commerce workloads that set value.incremental
	for _, w := range sc.Workloads {
		if a := w.Agent; a != nil && a.Value.GrossCommerce() {
			names = append(names, w.Name)
		} else if a != nil && a.Value.CommerceUSD() > 0 && a.Value.Conversion > 0 {
			others = true
		}
	}
	if len(names) == 0 || !(commerce > 0 && revenue > 0) || fmt.Sprintf("%.0f", 100*commerce/revenue) == "0" {
		return "" // a line that rounds to 0% of revenue moves no margin: the warning said "(0% of revenue)"
	}
	share := fmt.Sprintf(" (%.0f%% of revenue)", 100*commerce/revenue)
	if others { // the run's commerce mixes gross and incremental lines
		share = ""
	}
	return fmt.Sprintf("COMMERCE COUNTED GROSS: the commerce line%s is the take on every order of a converted %s session, "+
		"including purchases the shopper would have made without the assistant; its conversion rate is a session's chance to buy, "+
		"not the uplift the assistant causes. Set workloads[%s].agent.value.incremental to the share of those orders it causes "+
		"(no public source states one; docs/model.md, \"Ads and commerce\") before reading the margin, or the commerce lost to latency, as the assistant's.",
		share, strings.Join(names, " or "), names[0])
}
