package tui

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
)

// centerPanel draws a boxed message in the middle of the body: empty
// states and store problems. The box has a fixed width (76 cells, less on
// a narrow terminal) and cuts lines that do not fit, so a long path never
// reflows the message.
func centerPanel(st *styles, w, h int, title, body string) string {
	bw := min(w-2, 76)
	inner := bw - 4
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = fitWidth(l, inner)
	}
	box := st.panel.Width(bw).Render(st.title.Render(title) + "\n\n" + strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// card is a KPI card: a title, a headline value and detail lines.
type card struct {
	title string
	value string
	tone  tone
	lines []cardLine
}

type cardLine struct {
	label, value string
	tone         tone
	// shorter are shorter labels, tried in order where label does not fit
	// beside the value: a label that must name its figure in full where
	// there is room ("margin lost to latency") and still fit a card at 80
	// columns, where a cut one read "margin lo…".
	shorter []string
	// part marks a line of a split that adds up to the card's value, and
	// amount is its figure (USD): a card too short for every part folds
	// the smallest into one "other" line (foldParts) so that the split
	// still adds up, where cutting the last ones left $5.03 + $0 under a
	// title of $5.20.
	part   bool
	amount float64
	// lead marks a line that comes before a split and shows before it
	// (foldParts): the cost card's cost per request and per session,
	// which a short card keeps where its split per Mtok gives way.
	lead bool
}

// foldParts is lines cut to n: as they are where they fit, else the lines
// that are not parts, then the largest parts in their order and one
// "other" line with the sum of the rest (NaNs left out of it), so that a
// split adds up to its title. Where that leaves no room for a part beside
// "other", the lines that are not parts give way to the largest part, and
// on one line the largest part shows alone. Lines without parts are cut to
// the first n.
//
// Lead lines, first in the card, are kept before all others; the rest
// folds in the room they leave, and a split that would show there without
// its heading and two lines gives way whole: under "per request $0.0114" a
// lone "fleet $5.09" read as the fleet's cost per request.
func foldParts(lines []cardLine, n int) []cardLine {
	if len(lines) <= n {
		return lines
	}
	lead := 0
	for lead < len(lines) && lines[lead].lead {
		lead++
	}
	if lead > 0 {
		room := n - lead
		rest := lines[lead:]
		if room <= 0 || room < 3 && slices.ContainsFunc(rest, func(l cardLine) bool { return l.part }) {
			return lines[:min(lead, n)]
		}
		return append(slices.Clone(lines[:lead]), foldParts(rest, room)...)
	}
	var fixed, parts []int
	for i, l := range lines {
		if l.part {
			parts = append(parts, i)
		} else {
			fixed = append(fixed, i)
		}
	}
	if len(parts) > 0 && n == 1 {
		// One line: "other" alone named no line of the split ("other
		// $11.32", all of it tokens), and the heading over nothing ("split
		// per Mtok") no figure, so the largest part shows.
		return []cardLine{lines[largestPart(lines, parts)]}
	}
	if len(parts) > 0 && n >= 2 && n-len(fixed) < 2 {
		// No room for a part beside "other": the split named no part
		// ("split per Mtok / other $2.55", all of it the fleet), so the
		// lines that are not parts give way, the last first.
		fixed = fixed[:n-2]
	}
	keep := n - len(fixed) - 1
	if len(parts) == 0 || keep < 0 {
		return lines[:n]
	}
	if len(parts) <= n-len(fixed) { // every part fits once lines gave way
		keep = len(parts)
	}
	bySize := slices.Clone(parts)
	slices.SortStableFunc(bySize, func(a, b int) int { return cmp.Compare(nanLow(lines[b].amount), nanLow(lines[a].amount)) })
	kept := map[int]bool{}
	for _, i := range slices.Concat(fixed, bySize[:keep]) {
		kept[i] = true
	}
	var out []cardLine
	other, summed := 0.0, false
	for i, l := range lines {
		switch {
		case kept[i]:
			out = append(out, l)
		case !l.part: // a line that gave way to the parts
		case !math.IsNaN(l.amount):
			other, summed = other+l.amount, true
		}
	}
	if keep == len(parts) {
		return out
	}
	if !summed {
		other = math.NaN()
	}
	return append(out, cardLine{label: "other", value: fmtUSD(other), part: true, amount: other})
}

// largestPart is the index, among parts, of the line with the largest
// amount: the first of equals, NaN below every figure.
func largestPart(lines []cardLine, parts []int) int {
	best := parts[0]
	for _, i := range parts[1:] {
		if nanLow(lines[i].amount) > nanLow(lines[best].amount) {
			best = i
		}
	}
	return best
}

// nanLow orders NaN below every figure.
func nanLow(v float64) float64 {
	if math.IsNaN(v) {
		return math.Inf(-1)
	}
	return v
}

// fitLabel is the line's label or the first of its shorter ones that
// fits room cells, else the last tried, for the caller to cut.
func (l cardLine) fitLabel(room int) string {
	label := l.label
	for _, s := range l.shorter {
		if lipgloss.Width(label) <= room {
			break
		}
		label = s
	}
	return label
}

// renderCards lays cards out in rows of as many as fit the width, all of
// one width and, within a row, one height. maxLines caps the detail lines
// (small terminals); it returns the block and its height.
func renderCards(st *styles, cards []card, w, maxLines int) (string, int) {
	perRow := cardsPerRow(len(cards), w)
	cw := w / perRow // lipgloss v2 widths include the border and padding
	inner := cw - 4
	var rows []string
	for i := 0; i < len(cards); i += perRow {
		end := min(i+perRow, len(cards))
		n := 0
		for _, c := range cards[i:end] {
			n = max(n, min(len(c.lines), maxLines))
		}
		var boxes []string
		for _, c := range cards[i:end] {
			c.lines = foldParts(c.lines, maxLines)
			lines := []string{st.cardTitle.Render(fitWidth(c.title, inner)), st.tone(c.tone).Bold(true).Render(fitWidth(c.value, inner))}
			for k := 0; k < n; k++ {
				if k < len(c.lines) && k < maxLines {
					l := c.lines[k]
					l.label = l.fitLabel(inner - lipgloss.Width(l.value) - 1)
					gap := inner - lipgloss.Width(l.label) - lipgloss.Width(l.value)
					if gap < 1 { // the value wins: shorten the label
						label := fitWidth(l.label, max(inner-lipgloss.Width(l.value)-1, 0))
						gap = max(inner-lipgloss.Width(label)-lipgloss.Width(l.value), 1)
						lines = append(lines, fitWidth(st.muted.Render(label)+strings.Repeat(" ", gap)+st.tone(l.tone).Render(l.value), inner))
					} else {
						lines = append(lines, st.muted.Render(l.label)+strings.Repeat(" ", gap)+st.tone(l.tone).Render(l.value))
					}
				} else {
					lines = append(lines, "")
				}
			}
			boxes = append(boxes, st.card.Width(cw).Render(strings.Join(lines, "\n")))
		}
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, boxes...))
	}
	out := strings.Join(rows, "\n")
	return out, lipgloss.Height(out)
}

// cardWidth is the narrowest a card may be: 20 cells on small terminals,
// 24 (room for longer values) where there is room.
func cardWidth(w int) int {
	if w >= 96 {
		return 24
	}
	return 20
}

// cardsPerRow puts n cards in one row when they fit at the narrowest,
// otherwise in as few rows as the card width allows, balanced (4+4 rather
// than 6+2).
func cardsPerRow(n, w int) int {
	if n <= 0 {
		return 1
	}
	if w/20 >= n {
		return n
	}
	fit := max(1, w/cardWidth(w))
	rows := (n + fit - 1) / fit
	return (n + rows - 1) / rows
}

// tabs renders a tab bar: 1 Overview  2 Charts ...
func tabs(st *styles, names []string, active, w int) string {
	var parts []string
	for i, n := range names {
		label := string(rune('1'+i)) + " " + n
		if i == active {
			parts = append(parts, st.tabOn.Render(label))
		} else {
			parts = append(parts, st.tabOff.Render(label))
		}
	}
	return fitWidth(strings.Join(parts, "  "), w)
}
