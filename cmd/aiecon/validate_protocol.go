package main

import (
	"errors"
	"fmt"
	"math"

	"github.com/spf13/pflag"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
)

// windowFlag is validate's --window, checked as it is parsed so that the
// error names the flag: a duration with a unit, from hw.MinWindowS to
// hw.MaxWindowS.
type windowFlag float64 // seconds; 0 when not given

func (w *windowFlag) String() string {
	if *w == 0 {
		return ""
	}
	return fmt.Sprintf("%gs", float64(*w))
}

func (w *windowFlag) Type() string { return "duration" }

func (w *windowFlag) Set(v string) error {
	d, err := model.ParseDuration(v)
	if err != nil && !errors.Is(err, model.ErrDurationRange) {
		return err
	}
	if s := d.Seconds(); err != nil || s < hw.MinWindowS || s > hw.MaxWindowS {
		return fmt.Errorf("want a duration from %ds to %dh (a benchmark's measurement window, such as 500s or 10m)", hw.MinWindowS, hw.MaxWindowS/3600)
	}
	*w = windowFlag(d.Seconds())
	return nil
}

// addProtocolFlags adds --protocol and --window, which set p.
func addProtocolFlags(fs *pflag.FlagSet, p *runner.ClosedLoopProtocol) {
	fs.StringVar(&p.Name, "protocol", "", "how closed loops are measured: steady (warm up 3 request lifetimes, score the requests arriving over the next 12) "+
		"or cold-window (every client sends at 0, no warm-up; score the requests that complete within --window); default steady, or cold-window for a row that states its window_s")
	fs.Var((*windowFlag)(&p.WindowS), "window", "the cold-window protocol's measurement window, such as 500s, for the rows that state no window_s (needs --protocol cold-window)")
}

// closedLoopProtocolLine says how a report's closed loops were measured,
// under its header line, so that no figure of a loop is read without it;
// "" for a report with no closed loop.
func closedLoopProtocolLine(rep *runner.ValidationReport, p runner.ClosedLoopProtocol) string {
	cold, steady, windowS := rep.ClosedLoops()
	steadyText := "steady state (3 request lifetimes of warm-up, then the requests arriving over the next 12)"
	coldText := "cold window of " + windowText(windowS) + " (every client sends at 0, no warm-up; scored: the requests that complete within it)"
	if windowS == 0 {
		each := "each row's window_s"
		if p.WindowS > 0 {
			each += ", or --window's " + windowText(p.WindowS) + " where a row states none"
		}
		coldText = "cold window of " + each + " (every client sends at 0, no warm-up; scored: the requests that complete within it)"
	}
	switch {
	case cold == 0 && steady == 0:
		return ""
	case cold == 0:
		flag := "--protocol steady"
		if p.Name == "" {
			flag += ", the default"
		}
		return fmt.Sprintf("closed loops measured in their %s [%s]\n", steadyText, flag)
	case steady == 0:
		return fmt.Sprintf("closed loops measured in a %s [%s]\n", coldText, protocolFlags(p))
	}
	return fmt.Sprintf("closed loops: %d measured in a %s; %d in their %s\n", cold, coldText, steady, steadyText)
}

// protocolFlags names what set a cold-window protocol: the flags, or the rows.
func protocolFlags(p runner.ClosedLoopProtocol) string {
	switch {
	case p.Name == runner.ProtocolColdWindow && p.WindowS > 0:
		return fmt.Sprintf("--protocol %s --window %s; a row's window_s is its own", p.Name, windowText(p.WindowS))
	case p.Name == runner.ProtocolColdWindow:
		return "--protocol " + p.Name + ", each row's window_s"
	}
	return "each row's window_s"
}

// windowText is a window in seconds as the flag takes it: "500s".
// windowText is a window as the run measures it: in whole milliseconds, as
// its horizon is set (runner's cold-window run rounds it so).
func windowText(s float64) string { return fmt.Sprintf("%gs", math.Round(s*1000)/1000) }

// protocolJSON is how a file's closed loops were measured, in --json:
// "steady", "cold-window" or "mixed" (omitted where it has none), and the
// window where every cold-window loop had the same one.
func protocolJSON(rep *runner.ValidationReport) (name string, windowS float64) {
	cold, steady, windowS := rep.ClosedLoops()
	switch {
	case cold == 0 && steady == 0:
		return "", 0
	case cold == 0:
		return runner.ProtocolSteady, 0
	case steady == 0:
		return runner.ProtocolColdWindow, windowS
	}
	return "mixed", windowS
}

// rowProtocol is a closed-loop row's protocol in --json ("" for another row).
func rowProtocol(r runner.ValidationRow) string {
	switch {
	case !r.Point.ClosedLoop():
		return ""
	case r.WindowS > 0:
		return runner.ProtocolColdWindow
	}
	return runner.ProtocolSteady
}
