package sim

import "testing"

// Ads are shown with the answer the user reads, never on a tool-calling
// step: a session holds at most one auction, on its last model call.
func TestAuctionsOnlyOnUserFacingAnswers(t *testing.T) {
	sc := scenario(t, agentsAds)
	sc.Ads.IntentProbability = 1 // every answer auctions: the bound is tight
	res, sink := run(t, sc)
	auctions := kpi(t, res, "ad_auctions", "")
	answers := kpi(t, res, "answers_delivered", "")
	if answers == 0 {
		t.Fatal("no answers delivered: the test shows nothing")
	}
	if auctions > answers {
		t.Errorf("%v auctions for %v user-facing answers", auctions, answers)
	}
	steps := map[int64]int32{}
	for _, s := range sink.Sess {
		steps[s.ID] = s.StepsPlanned
	}
	for _, a := range sink.Auct {
		if want := steps[a.Session] - 1; a.Step != want {
			t.Fatalf("auction %d on step %d of session %d, want its last step %d", a.Auction, a.Step, a.Session, want)
		}
	}
}
