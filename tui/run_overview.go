package tui

// The run screen's Overview (KPI cards, a chart or one-line trends) and
// Charts tabs, and the setup line under the run line.

import (
	"context"
	"fmt"
	"math"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study/caveat"
)

// chrome is how many lines are above a tab's body: the header and the tab
// bar.
func (s *runScreen) chrome(w, h int) int { return 1 + len(s.header(w, h)) }

// header is the run's lines, the line naming its warnings and its setup
// lines, as many as leave a tab's body half the height. On a 40-column
// terminal they take seven lines, and at 40×12 a tab showed its column
// titles and no row; cut, the last line kept ends in … (a taller terminal
// shows the rest). The warnings come before the setup, which a short
// terminal cuts first.
func (s *runScreen) header(w, h int) []string {
	lines := append(s.runLines(w), s.warnLine(w)...)
	lines = append(lines, s.setupLines(w)...)
	keep := max(h/2-1, 2)
	if len(lines) <= keep {
		return lines
	}
	lines = lines[:keep]
	last := ansi.Truncate(lines[keep-1], max(w-2, 1), "")
	lines[keep-1] = last + s.sh.st.muted.Render(" …")
	return lines
}

// setupLines name what the run served on what: model, instance × count,
// TP, scheduler, pricing and where the step times come from. A terminal too
// narrow for one line gets more, broken between parts and then at spaces,
// so that the step-time source and its caveat are not what gets cut; the
// prompt of x and P takes its place while open.
func (s *runScreen) setupLines(w int) []string {
	st := s.sh.st
	switch {
	case s.out.active:
		return []string{fitWidth(lineView(s.out.path), w)}
	case s.setup == nil:
		return []string{st.muted.Render(fitWidth("no scenario stored with this run: model and fleet unknown", w))}
	}
	lines := wrapParts(s.setup.parts(), " · ", w)
	for i, l := range lines {
		lines[i] = st.muted.Render(l)
	}
	return lines
}

// wrapParts joins parts with sep on lines of at most w cells: a part that
// does not fit after the others starts a line, and one wider than a line
// is broken at its spaces. Nothing is cut: a run's overrides are what
// tells it apart, and cut at the edge (max_batched_tokens=8192 horizon…)
// they no longer did.
func wrapParts(parts []string, sep string, w int) []string {
	w = max(w, 1)
	var lines []string
	cur := ""
	for _, p := range parts {
		if cur != "" {
			if lipgloss.Width(cur+sep+p) <= w {
				cur += sep + p
				continue
			}
			lines = append(lines, cur)
		}
		sub := strings.Split(ansi.Wrap(p, w, ""), "\n")
		lines = append(lines, sub[:len(sub)-1]...)
		cur = sub[len(sub)-1]
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		lines[i] = fitWidth(l, w) // a wide glyph at the edge
	}
	return lines
}

// fleetCard is the Fleet KPI card: instances as a whole count (an average
// with a decimal only when autoscaling moved it), the instance type, the
// replicas and their TP degree (each pool's, for a model mix), and the price of an instance-hour; the
// scale-ups and downs take the price's place when the fleet scaled.
func (s *runScreen) fleetCard() card {
	g := func(name string) float64 { return s.kpis.get("", name) }
	inst, tp := dash, dash
	if s.setup != nil {
		// A model mix's pools: each type and TP degree once ("32/8": the
		// card read TP 32 for twelve replicas, eight of them at TP 8).
		inst = s.setup.distinct(" + ", func(p poolSetup) string { return p.instance })
		if t := s.setup.distinct("/", poolTP); t != "" {
			tp = t
		}
	}
	last := cardLine{label: "$/inst·h", value: fmtUSD(g(kpi.PricePerInstanceHourUSD))}
	if up, down := g(kpi.ScaleUps), g(kpi.ScaleDowns); up+down > 0 {
		last = cardLine{label: "scale ↑/↓", value: fmtCount(up) + "/" + fmtCount(down)}
	}
	n := g(kpi.InstancesAvg)
	return card{title: "Fleet", value: fmtWhole(n) + " instance" + plural(int(n)), lines: []cardLine{
		{value: inst}, {label: "replicas", value: fmtWhole(g(kpi.ReplicasUpAvg))}, {label: "TP", value: tp}, last}}
}

// poolTP is a pool's TP degree as the Fleet card shows it, "" when the
// scenario does not say.
func poolTP(p poolSetup) string {
	if p.tp <= 0 {
		return ""
	}
	return fmt.Sprint(p.tp)
}

// cards are the Overview's KPI cards.
func (s *runScreen) cards() []card {
	k := s.kpis
	g := func(name string) float64 { return k.get("", name) }
	money := func(label, name string) cardLine { return cardLine{label: label, value: fmtUSD(g(name))} }
	part := func(label, name string) cardLine {
		return cardLine{label: label, value: fmtUSD(g(name)), part: true, amount: g(name)}
	}
	// The cost card's title is per Mtok: its split is too (each cost's share
	// of the run's cost, times the cost per Mtok), so that it adds up to the
	// title, and a line above it says so. The run's cost in dollars is on
	// the margin card, with revenue's other side: beside the split, a dollar
	// total read as the split's sum.
	perMTok := func(label, name string) cardLine {
		v := math.NaN()
		if total := g(kpi.CostUSD); total > 0 {
			v = g(name) / total * g(kpi.CostPerMTokUSD)
		}
		return cardLine{label: label, value: fmtUSD(v), part: true, amount: v}
	}
	return []card{
		{title: kpi.Get(kpi.CostPerMTokUSD).ShortLabel(), value: fmtUSD(g(kpi.CostPerMTokUSD)), lines: append(s.unitCostLines(),
			cardLine{label: "split per Mtok"}, perMTok("fleet", kpi.CostInstancesUSD), perMTok("training", kpi.CostTrainingUSD),
			perMTok("licensing", kpi.CostLicensingUSD))},
		{title: "Revenue", value: fmtUSD(g(kpi.RevenueUSD)), lines: []cardLine{
			part("tokens", kpi.RevenueAPIUSD), part("fees", kpi.RevenueAgentFeesUSD),
			part("commerce", kpi.RevenueCommerceUSD), part("ads", kpi.RevenueAdsUSD)}},
		// The margin in dollars nets every cost; gross_margin leaves
		// training out (margin $32.61 of $70.43 over "gross 65.4%" read as
		// one figure), so its label says so in the width of a small card.
		{title: "Margin", value: fmtUSD(g(kpi.MarginUSD)), tone: signTone(g(kpi.MarginUSD)), lines: []cardLine{
			{label: "ex-train", value: fmtPct(g(kpi.GrossMargin)), tone: signTone(g(kpi.GrossMargin))},
			latencyLossLine(k),
			{label: "cost/h", value: fmtUSD(g(kpi.CostPerHourUSD))}, money("run cost", kpi.CostUSD)}},
		{title: "TTFT p99", value: fmtSeconds(g(kpi.TTFTP99S)), lines: []cardLine{
			{label: "TTFT p50", value: fmtSeconds(g(kpi.TTFTP50S))}, {label: "TPOT p99", value: fmtSeconds(g(kpi.TPOTP99S))},
			{label: "E2E p99", value: fmtSeconds(g(kpi.E2EP99S))}, {label: "queue p99", value: fmtSeconds(g(kpi.QueueP99S))}}},
		{title: "Throughput", value: fmtSig(g(kpi.ThroughputRPS)) + " done/s", lines: []cardLine{
			{label: "goodput", value: fmtSig(g(kpi.GoodputRPS)) + "/s"}, {label: "out tok/s", value: fmtSig(g(kpi.OutputTokensPerS))},
			{label: "in tok/s", value: fmtSig(g(kpi.InputTokensPerS))}, {label: "done", value: fmtCount(g(kpi.RequestsCompleted))}}},
		s.sloCard(),
		{title: "Batch occupancy", value: fmtPct(g(kpi.BatchOccupancy)), lines: []cardLine{
			{label: kpi.Label(kpi.Utilization), value: fmtPct(g(kpi.Utilization))}, {label: "FLOP/s", value: fmtPct(g(kpi.FLOPSUtilization))},
			{label: "HBM bw", value: fmtPct(g(kpi.BandwidthUtilization))}, {label: "KV cache", value: fmtPct(g(kpi.KVUtilization))}}},
		s.fleetCard(),
	}
}

// unitCostLines are the cost card's first lines: every cost per completed
// request and, for a run with agents, the agents' cost per completed
// session (cost_per_request_usd, cost_per_session_usd), which a
// strategist sets beside a price per request or a session's fee and order
// value; each where the run has the KPI (a run without agents has no
// sessions, one stored before the KPIs were kept neither). Only the KPIs
// tab had them. They lead the card (lead), so that
// at 80x24, two lines a card, they show where the split per Mtok gives
// way: the split is the title's detail, these are unit costs of their own.
func (s *runScreen) unitCostLines() []cardLine {
	var out []cardLine
	for _, u := range []struct{ name, label, short string }{
		{kpi.CostPerRequestUSD, "per request", "per req"}, {kpi.CostPerSessionUSD, "per session", "per sess"},
	} {
		if k, ok := s.kpis[[2]string{"", u.name}]; ok { // a dash where none completed
			out = append(out, cardLine{label: u.label, value: fmtUnitCost(k.Value), shorter: []string{u.short}, lead: true})
		}
	}
	return out
}

// sloCard is the SLO card. SLO attainment counts the calls served within
// their targets, not the users who left before an answer: an agent run's
// card leads with its sessions abandoned (the share run's ECONOMICS gives,
// "172 abandoned (34.8%)"), which a short card keeps, and the requests
// abandoned say "requests" in every width (at 80 columns "abandoned 455"
// read as another count of the same thing). Where the run warns SESSIONS
// ABANDONED, OVERLOADED or SATURATED, attainment is not shown as good:
// baseline's read a green 100% beside a third of its sessions abandoned.
func (s *runScreen) sloCard() card {
	g := func(name string) float64 { return s.kpis.get("", name) }
	att := g(kpi.SLOAttainment)
	c := card{title: "SLO attainment", value: fmtAttain(att), tone: sloTone(att), lines: []cardLine{
		{label: "dropped", value: fmtCount(g(kpi.RequestsDropped))}, {label: "timed out", value: fmtCount(g(kpi.RequestsTimedOut))},
		{label: "requests abandoned", value: fmtCount(g(kpi.RequestsAbandoned)), shorter: []string{"req. abandoned", "req. aband."}},
		{label: "unfinished", value: fmtCount(g(kpi.RequestsUnfinished))}}}
	if g(kpi.SessionsStarted) > 0 {
		rate := g(kpi.SessionAbandonRate)
		// Cut to "abandoned" where narrow, as "sess. failed" to
		// "failed": "sess. left" read as the sessions remaining.
		sess := cardLine{label: "sessions abandoned", value: fmtPct(rate), shorter: []string{"sess. abandoned", "sess. aband.", "abandoned"}}
		if rate > caveat.SessionsAbandonedShare {
			sess.tone = toneBad
		}
		lead := []cardLine{sess}
		// The part of them the fleet failed (a call dropped or timed
		// out), which the abandoned share counts with the users who gave
		// up; only where some did, as run's sessions line says it. Its
		// share is of the sessions that ended, as the abandoned line's
		// is, so its label says sessions, not "of them".
		if g(kpi.SessionsFailed) > 0 {
			lead = append(lead, cardLine{label: "sessions failed", value: fmtPct(g(kpi.SessionFailRate)),
				shorter: []string{"sess. failed", "failed"}, tone: toneBad})
		}
		c.lines = append(lead, c.lines...)
	}
	if c.tone == toneGood && (s.hasWarning("SESSIONS ABANDONED") || s.hasWarning("OVERLOADED") || s.hasWarning("SATURATED")) {
		c.tone = toneWarn
	}
	return c
}

// latencyLossLine is the Margin card's latency line: the margin lost to
// latency (to queueing plus to service time), which nets the revenue share
// that the revenue lost does not ($892.85 of margin where $896.24 of
// revenue was lost), so that it reads as margin beside margin. Its label
// says margin where the card's width allows: "lat. loss $339.21" beside
// the Workloads tab's and run's $340.44 "lost to latency" (revenue) read
// as one figure told two ways. Narrower, it says latency in whole words
// under the card's title, Margin: at 80 columns a label has 8 cells, and
// "mgn lost" there (or "mgn lost lat." at 100) was read as no word at all.
// A run stored before the margin was split by cause has only the revenue
// lost, labelled as revenue; a run with neither shows a dash.
func latencyLossLine(k kpiSet) cardLine {
	margin := k.get("", kpi.MarginLostToQueueingUSD) + k.get("", kpi.MarginLostToServiceTimeUSD) // NaN without either
	if rev := k.get("", kpi.RevenueLostToLatencyUSD); undefined(margin) && !undefined(rev) {
		return cardLine{label: "revenue lost to latency", value: fmtUSD(rev), tone: lossTone(rev),
			shorter: []string{"rev. lost (lat.)", "rev. lost", "rev lost"}}
	}
	return cardLine{label: "margin lost to latency", value: fmtUSD(margin), tone: lossTone(margin),
		shorter: []string{"margin lost (lat.)", "latency loss", "latency"}}
}

func lossTone(v float64) tone {
	if undefined(v) || v <= 0 {
		return toneNone
	}
	return toneBad
}

// maxCardLines is the most detail lines an Overview card shows: the cost
// card's two unit costs above its split per Mtok's heading and three
// parts, the SLO card's sessions abandoned and failed above its four
// counts. A card with fewer pads its row; a short terminal shows fewer.
const maxCardLines = 6

func (s *runScreen) overview(w, h int) string {
	st := s.sh.st
	if len(s.d.KPIs) == 0 {
		// The header line carries the error too, but after the name, id
		// and settings, where 80 columns cut it.
		msg := "This run has no KPIs: " + incomplete("it", s.d.Run.Error) + "."
		if s.d.Run.Status == data.StatusRunning {
			msg = "This run has not finished: it is being written, or its writer stopped (the next aiecon command that writes the store marks it failed). r reloads."
		}
		return st.muted.Render(wrap(msg, w)) + "\n\n" + s.sparks(w, h-3)
	}
	cs := s.cards()
	perRow := cardsPerRow(len(cs), w)
	rows := (len(cs) + perRow - 1) / perRow
	detail := min(maxCardLines, max((h-1)/rows-4, 0))
	block, bh := renderCards(st, cs, w, detail)
	if lines := s.abandonedLines(w, h-bh); len(lines) > 0 {
		block += "\n" + strings.Join(lines, "\n")
		bh += len(lines)
	}
	rest := h - bh
	switch {
	case rest >= 16 && w >= 100:
		cw := w / 2
		left := renderChart(st, runCharts[0], s.ws, cw-1, rest)
		right := renderChart(st, runCharts[3], s.ws, w-cw-1, rest)
		return block + "\n" + lipgloss.JoinHorizontal(lipgloss.Top, fitBlock(left, cw-1, rest), " ", fitBlock(right, w-cw-1, rest))
	case rest >= 10:
		return block + "\n" + renderChart(st, runCharts[0], s.ws, w, rest)
	case rest >= 1:
		return block + "\n" + s.sparks(w, rest)
	}
	return block
}

// abandonedLines are run's abandoned calls lines (study/caveat), from the
// stored KPIs, wrapped to w cells and at most room lines: the cards' tokens
// revenue said nothing of what calls abandoned mid-answer had streamed,
// nor whether it was billed, and the screen a launched run ends on is
// this one. None where no such call had a priced token.
func (s *runScreen) abandonedLines(w, room int) []string {
	var out []string
	for _, a := range caveat.AbandonedStreams(s.d.KPIs, s.d.Workloads) {
		out = append(out, strings.Split(wrap(caveat.AbandonedCallsLabel+" · "+a.Text(), w), "\n")...)
	}
	out = out[:min(len(out), max(room, 0))]
	for i, l := range out {
		out[i] = s.sh.st.muted.Render(fitWidth(l, w)) // a workload name wider than the screen
	}
	return out
}

// sparks are one-line trends of the run, for small terminals.
func (s *runScreen) sparks(w, h int) string {
	if len(s.ws) == 0 || h <= 0 {
		return ""
	}
	st := s.sh.st
	last := s.ws[len(s.ws)-1]
	rows := []string{
		sparkRow(st, "throughput", perWindow(s.ws, func(x sim.WindowRecord) float64 { return windowRate(x, float64(x.Completions)) }),
			fmtSig(windowRate(last, float64(last.Completions)))+"/s", colSeries[0], w),
		sparkRow(st, "revenue $/h", perWindow(s.ws, func(x sim.WindowRecord) float64 { return windowRate(x, x.RevenueUSD) * 3600 }),
			fmtUSD(windowRate(last, last.RevenueUSD)*3600)+"/h", colGood, w),
		sparkRow(st, "TTFT p99", perWindow(s.ws, func(x sim.WindowRecord) float64 { return x.TTFTP99S }),
			fmtSeconds(last.TTFTP99S), colSeries[1], w),
		sparkRow(st, "queue depth", perWindow(s.ws, func(x sim.WindowRecord) float64 { return x.QueueDepthAvg }),
			fmtRequests(last.QueueDepthAvg), colSeries[3], w),
	}
	return strings.Join(rows[:min(h, len(rows))], "\n")
}

// charts lays the charts out in a grid: two columns from 100 cells wide,
// as many rows as leave each chart 8 lines, ←/→ for the rest.
func (s *runScreen) charts(w, h int) string {
	st := s.sh.st
	cols := 1
	if w >= 100 {
		cols = 2
	}
	rows := max(1, min(h/8, (len(runCharts)+cols-1)/cols))
	n := min(cols*rows, len(runCharts))
	start := min(s.chart, len(runCharts)-n)
	s.chart = start
	ch := h / rows
	if n < len(runCharts) {
		ch = (h - 1) / rows
	}
	cw := w / cols
	var gridRows []string
	for r := 0; r < rows; r++ {
		var cells []string
		for c := 0; c < cols; c++ {
			i := start + r*cols + c
			if i >= start+n {
				break
			}
			cells = append(cells, fitBlock(renderChart(st, runCharts[i], s.ws, cw-1, ch), cw, ch))
		}
		gridRows = append(gridRows, lipgloss.JoinHorizontal(lipgloss.Top, cells...))
	}
	out := strings.Join(gridRows, "\n")
	if n < len(runCharts) {
		out += "\n" + st.muted.Render(fmt.Sprintf("charts %d–%d of %d · ←/→ for more", start+1, start+n, len(runCharts)))
	}
	return out
}

// incomplete says why a run that did not complete has nothing to show, in
// a clause about subject ("it", "the run"): "it was cancelled before it
// finished", "it did not complete (fleet: too small)". It read "has no
// KPIs: it did not complete: cancelled before it finished".
func incomplete(subject, e string) string {
	switch why := runError(e); {
	case e == "":
		return subject + " did not complete"
	case why == cancelledBeforeEnd:
		return subject + " was " + why
	default:
		return subject + " did not complete (" + why + ")"
	}
}

const cancelledBeforeEnd = "cancelled before it finished"

// runError is a failed run's stored error as the dashboard says it, on one
// line. The runner stores a cancelled run's as "interrupted: context
// canceled", Go's words, where esc or ctrl+c on Launch cancelled it, and as
// "interrupted" (model.ErrInterrupted) where ctrl+c or a stop signal to
// aiecon run did; both read as cancelled, the words not saying by whom.
// The stored text stays as it is, for the CLI and SQL that read it.
func runError(e string) string {
	e = oneLine(e)
	if e == model.ErrInterrupted.Error() ||
		strings.HasPrefix(e, "interrupted: ") && strings.HasSuffix(e, context.Canceled.Error()) {
		return cancelledBeforeEnd
	}
	return e
}
