package main

import (
	"fmt"
	"io"
)

// printAbandonedStreams says, per agent workload whose calls were
// abandoned mid-answer with tokens worth something at its prices, what
// they had streamed and whether the run billed it (price.bill_abandoned):
// the choice moves the token revenue, and under the default the calls
// billed nothing without a word. Nothing where no such call had a priced
// token (the built-ins' shopping assistant charges no token price).
func (r runReport) printAbandonedStreams(w io.Writer) {
	for _, a := range r.res.AbandonedStreams {
		if a.USD <= 0 {
			continue
		}
		billed := "not billed (price.bill_abandoned: nothing, the default, as no provider's rule for a cancelled stream is " +
			"assumed; streamed bills them)"
		if a.Billed {
			billed = "billed, in tokens above (price.bill_abandoned: streamed)"
		}
		fmt.Fprintf(w, "  abandoned calls\t%s: %s calls abandoned after their first token had generated %s output tokens, %s with "+
			"their prompts at its token prices; %s\n", a.Workload, fmtCount(float64(a.Calls)), fmtCount(float64(a.OutputTokens)),
			fmtUSD(a.USD), billed)
	}
}
