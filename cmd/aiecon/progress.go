package main

import (
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"aiecon/sim"
)

// simProgress shows a run's progress in simulated time on stderr (with an
// ETA), only when stderr is a terminal and --quiet is not set.
type simProgress struct {
	bar     *progressbar.ProgressBar
	horizon int64
}

func stderrIsTerminal(e *env) bool {
	f, ok := e.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newSimProgress(e *env, horizonNs int64, desc string) *simProgress {
	p := &simProgress{horizon: horizonNs}
	if e.quiet || !stderrIsTerminal(e) {
		return p
	}
	p.bar = progressbar.NewOptions64(horizonNs/1e9,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetItsString("sim s"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
	return p
}

func (p *simProgress) update(pr sim.Progress) {
	if p.bar == nil {
		return
	}
	_ = p.bar.Set64(min(pr.SimNs, p.horizon) / 1e9)
}

func (p *simProgress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
