package forecast

import "fmt"

// roundingShare is how far a rented fleet's instances paid for may exceed
// what its demand asked for (fleet.count x the slice's demand) before the
// report says that RENT and USD/Mtok move with whole instances: a tenth.
// Rounding up adds less than one instance, so only a fleet under ten
// instances can reach it, and there one instance is a step of a tenth or
// more in RENT and USD/Mtok: a monthly forecast's 4.16 instances rented 5,
// +25% RENT and +18% USD/Mtok for +4% demand, and the next month's fall
// read as a trend. Under a tenth the step is within the
// moves a reader expects of growth and of the slices' noise (SAMPLING
// warns from 5%).
const roundingShare = 0.1

// wholeInstancesNote says when a rented fleet paid for more instances than
// its demand asked, by over roundingShare in some period of some sample:
// each slice rents ceil(fleet.count x demand) (capacitySets), so RENT and
// USD/Mtok step with whole instances, and a change between periods of
// about that share is rounding, not demand. It names the periods and the
// largest share with its counts. A report stored before the unrounded
// count was kept (InstancesSized) has none.
func (r *Report) wholeInstancesNote(variant string) string {
	fe := r.fleet(variant)
	if fe == nil || fe.Rented == nil {
		return ""
	}
	var at []int
	most, paid, asked, mostAt := 0.0, 0.0, 0.0, 0
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		flagged := false
		for _, p := range s.Periods {
			if p.InstancesSized <= 0 {
				continue
			}
			share := p.InstancesAvg/p.InstancesSized - 1
			if share <= roundingShare {
				continue
			}
			flagged = true
			if share > most {
				most, paid, asked, mostAt = share, p.InstancesAvg, p.InstancesSized, p.Period
			}
		}
		if flagged {
			at = append(at, s.Period)
		}
	}
	if len(at) == 0 {
		return ""
	}
	return fmt.Sprintf("WHOLE INSTANCES: each slice rents fleet.count (%d) x the slice's demand rounded up to whole instances, so in %s "+
		"the fleet paid for over %.0f%% more instances than its demand asked, up to %.0f%% (%s %d: %.2f on average for %.2f): %s and "+
		"USD/Mtok step with whole instances, and a change between periods of about that share is rounding, not demand. Each "+
		"period's instances_sized in --json's samples_detail is the count before rounding.",
		fe.Rented.BaseCount, r.periodList(at), 100*roundingShare, 100*most, r.PeriodLen, mostAt, paid, asked, r.words().rent)
}
