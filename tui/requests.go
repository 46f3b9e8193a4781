package tui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// reqView is what the Requests tab shows of a run's stored requests: a
// filter (/) and a sort column (s cycles, o reverses), as in k9s. Both run
// in the store's SQL, not over the page on screen, so they hold for a
// million requests, and every order pages by key (requestQuery): a page
// deep in the table, or the last one, costs what the first does.
type reqView struct {
	filter  textinput.Model
	editing bool
	sortBy  int  // index into requestSorts
	desc    bool // current direction
}

// requestSorts are the columns s cycles through, each starting in the
// direction that puts the interesting rows first (the slowest, the
// largest). col is the column of requests_v the table shows; key is the
// same value written over the requests table, as the view computes it
// (TestRequestSortKeysAreTheView holds them equal), which the pages are
// found by: through the view, which joins every request to its
// workload's name, a sort of 2 million requests took 1-3 s; over the
// table alone it takes tens of ms. An empty key is request_id alone.
var requestSorts = []struct {
	name, col, key string
	desc           bool
}{
	{"id", "request_id", "", false},
	{"arrival", "arrival_s", "arrival_ns / 1e9", false},
	{"queue", "queue_s", "(start_ns - arrival_ns) / 1e9", true},
	{"TTFT", "ttft_s", "(first_token_ns - arrival_ns) / 1e9", true},
	{"TPOT", "tpot_s", "CASE WHEN status = 'completed' AND output_tokens > 1 THEN (finish_ns - first_token_ns) / 1e9 / (output_tokens - 1) END", true},
	{"E2E", "e2e_s", "CASE WHEN status = 'completed' THEN (finish_ns - arrival_ns) / 1e9 END", true},
	{"prompt", "prompt_tokens", "prompt_tokens", true},
	{"output", "output_tokens", "output_tokens", true},
	{"revenue", "revenue_usd", "revenue_usd", true},
}

var reqKeys = struct{ filter, sort, reverse, stop key.Binding }{
	filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter requests")),
	sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
	reverse: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "reverse order")),
	stop:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "stop the query")),
}

// errRequestsStopped takes the place of the Requests page that ctrl+c
// stopped before it came (a page move's: the page held stays, p goes back
// to it).
var errRequestsStopped = errors.New("the requests query was stopped (ctrl+c): r runs it again")

// requestsRunning says whether the Requests tab, on screen, waits on the
// store: a page on its way, or the count of a filtered or sorted view
// (the count of a view whose one page said its total ends unseen, as the
// SQL console's).
func (s *runScreen) requestsRunning() bool {
	p := s.requests
	return s.tab == tabRequests && (p.loading || p.counting && p.total < 0)
}

// interrupt is ctrl+c on the Requests tab while its query runs: as in the
// SQL console, it stops the page on its way or the count through their
// contexts, and keeps the dashboard, the run and the tab's filter and
// sort. done is false when nothing runs (or another tab shows): ctrl+c
// then quits, as everywhere. It quit the dashboard while a page of a
// million requests sorted by a column was on its way.
func (s *runScreen) interrupt() (done bool, cmd tea.Cmd) {
	if !s.requestsRunning() {
		return false, nil
	}
	what := "the requests query"
	if s.requests.interrupt(errRequestsStopped) == stoppedCount {
		what = "the count of the requests"
	}
	return true, notice("stopped "+what+" · ctrl+c again quits the dashboard", false)
}

func newReqView(st *styles) reqView {
	return reqView{filter: newLineInput(st, "/", "workload or status words, e.g. chat timed_out")}
}

// requestCols is the Requests tab's select list. Money is rounded as the
// dashboard's cells print it (format.USDCompact): to the cent, and below
// a cent to three significant digits (at most 9 decimals); it was printed
// in full float precision (0.006918479999999999), the one column the
// query did not round, and that widened it to 21 cells.
const requestCols = `SELECT request_id AS id, workload_name AS workload, status, round(arrival_s, 3) AS arrival_s,
	round(queue_s, 3) AS queue_s, round(ttft_s, 3) AS ttft_s, round(tpot_s, 4) AS tpot_s, round(e2e_s, 3) AS e2e_s,
	prompt_tokens AS prompt, output_tokens AS output, replica, session_id AS session,
	` + revenueRounded + ` AS revenue_usd
	FROM requests_v`

// revenueRounded is revenue_usd rounded for requestCols.
const revenueRounded = `CASE WHEN revenue_usd = 0 OR abs(revenue_usd) >= 0.01 THEN round(revenue_usd, 2)
		ELSE round(revenue_usd, CAST(least(2 - floor(log10(abs(revenue_usd))), 9) AS INTEGER)) END`

// query is the view as a requestQuery of run runID.
func (v *reqView) query(runID string) requestQuery {
	srt := requestSorts[v.sortBy]
	return requestQuery{runID: runID, words: strings.Fields(v.filter.Value()), key: srt.key, desc: v.desc}
}

// plain says whether the view is the table's natural order with no filter.
func (v *reqView) plain() bool {
	return v.sortBy == 0 && !v.desc && strings.TrimSpace(v.filter.Value()) == ""
}

// start is the pager query for the view. In id order with no filter the
// total is the registry's count of the run's stored requests; in any
// other view the store counts the rows that match, over the requests
// table alone (tens of ms for 2 million).
func (v *reqView) start(p *pager, runID string, stored int64) tea.Cmd {
	q := v.query(runID)
	if v.plain() {
		return p.startKeyset(q.fetch, nil, stored)
	}
	return p.startKeyset(q.fetch, q.count, -1)
}

// describe is the view for the status line: the sort and the filter.
func (v *reqView) describe() string {
	s := "sorted by " + requestSorts[v.sortBy].name + " " + arrowFor(!v.desc)
	if f := strings.TrimSpace(v.filter.Value()); f != "" {
		s += " · filter " + f
	}
	return s
}

// key handles the view's keys outside the filter field; changed says the
// query must run again.
func (v *reqView) key(m tea.KeyPressMsg) (used, changed bool, cmd tea.Cmd) {
	switch {
	case key.Matches(m, reqKeys.filter):
		v.editing = true
		return true, false, v.filter.Focus()
	case key.Matches(m, reqKeys.sort):
		v.sortBy = (v.sortBy + 1) % len(requestSorts)
		v.desc = requestSorts[v.sortBy].desc
		return true, true, nil
	case key.Matches(m, reqKeys.reverse):
		v.desc = !v.desc
		return true, true, nil
	}
	return false, false, nil
}

// edit handles a key while the filter has the keyboard: enter applies it,
// esc clears it; changed says the query must run again.
func (v *reqView) edit(m tea.Msg) (changed bool, cmd tea.Cmd) {
	if k, ok := m.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			v.editing = false
			v.filter.Blur()
			return true, nil
		case "esc":
			v.editing = false
			v.filter.Blur()
			had := v.filter.Value() != ""
			setLine(&v.filter, "")
			return had, nil
		}
	}
	v.filter, cmd = v.filter.Update(m)
	return false, cmd
}

// clear drops the filter (esc outside the field); it says whether there
// was one.
func (v *reqView) clear() bool {
	if v.filter.Value() == "" {
		return false
	}
	setLine(&v.filter, "")
	return true
}

// lines is how many lines the view takes above the table.
func (v *reqView) lines() int {
	if v.editing || v.filter.Value() != "" {
		return 1
	}
	return 0
}
