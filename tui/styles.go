package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// The palette. Colours are given in full (hex) and the renderer downsamples
// them to what the terminal supports; with NO_COLOR it drops them and keeps
// bold, faint and reverse, so nothing on screen depends on colour alone:
// changes carry ▲/▼ and bad values are bold, the selection is reverse
// video, heatmap cells carry a shade glyph.
var (
	colAccent = lipgloss.Color("#8B7CF6")
	colGood   = lipgloss.Color("#3FB950")
	colBad    = lipgloss.Color("#F85149")
	colWarn   = lipgloss.Color("#D29922")
	colMuted  = lipgloss.Color("#8B949E")
	colBarBG  = lipgloss.Color("#30363D")
	colBarFG  = lipgloss.Color("#E6EDF3")
	colSeries = []color.Color{lipgloss.Color("#58A6FF"), lipgloss.Color("#F0883E"), lipgloss.Color("#3FB950"), lipgloss.Color("#DB61A2")}
	// heatScale runs from worst to best.
	heatScale = []color.Color{lipgloss.Color("#8E1B1B"), lipgloss.Color("#B4532A"), lipgloss.Color("#9A7B16"), lipgloss.Color("#4D7C2A"), lipgloss.Color("#1F6E43")}
)

// styles holds every style the screens use, so a screen never invents one.
type styles struct {
	bar, barAccent, barDim lipgloss.Style // header and footer bars
	title                  lipgloss.Style
	muted, bold            lipgloss.Style
	good, bad, warn, acc   lipgloss.Style
	key, keyDesc           lipgloss.Style // footer key hints
	selected               lipgloss.Style
	tableHead              lipgloss.Style
	card                   lipgloss.Style
	cardTitle, cardValue   lipgloss.Style
	tabOn, tabOff          lipgloss.Style
	panel                  lipgloss.Style // boxed messages (lock, empty store)
	banner                 lipgloss.Style // persistent warning line under the header
	errText                lipgloss.Style
	input                  lipgloss.Style
}

func newStyles() *styles {
	s := &styles{}
	s.bar = lipgloss.NewStyle().Background(colBarBG).Foreground(colBarFG)
	s.barAccent = s.bar.Foreground(colAccent).Bold(true)
	s.barDim = s.bar.Foreground(colMuted)
	s.title = lipgloss.NewStyle().Bold(true)
	s.muted = lipgloss.NewStyle().Foreground(colMuted)
	s.bold = lipgloss.NewStyle().Bold(true)
	s.good = lipgloss.NewStyle().Foreground(colGood)
	// Bad also bold: with NO_COLOR it is what still sets it apart.
	s.bad = lipgloss.NewStyle().Foreground(colBad).Bold(true)
	s.warn = lipgloss.NewStyle().Foreground(colWarn)
	s.acc = lipgloss.NewStyle().Foreground(colAccent)
	s.key = lipgloss.NewStyle().Foreground(colAccent).Bold(true)
	s.keyDesc = lipgloss.NewStyle().Foreground(colMuted)
	s.selected = lipgloss.NewStyle().Reverse(true)
	s.tableHead = lipgloss.NewStyle().Bold(true).Foreground(colMuted)
	s.card = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colBarBG).Padding(0, 1)
	s.cardTitle = lipgloss.NewStyle().Foreground(colMuted)
	s.cardValue = lipgloss.NewStyle().Bold(true)
	s.tabOn = lipgloss.NewStyle().Bold(true).Underline(true).Foreground(colAccent)
	s.tabOff = lipgloss.NewStyle().Foreground(colMuted)
	s.panel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colWarn).Padding(0, 1)
	s.banner = lipgloss.NewStyle().Foreground(colWarn).Bold(true)
	s.errText = lipgloss.NewStyle().Foreground(colBad)
	s.input = lipgloss.NewStyle().Foreground(colAccent)
	return s
}

// tone is the meaning of a value on screen; the table and the cards map it
// to a style.
type tone uint8

const (
	toneNone tone = iota
	toneGood
	toneBad
	toneWarn
	toneMuted
	toneAccent
	toneBold
)

func (s *styles) tone(t tone) lipgloss.Style {
	switch t {
	case toneGood:
		return s.good
	case toneBad:
		return s.bad
	case toneWarn:
		return s.warn
	case toneMuted:
		return s.muted
	case toneAccent:
		return s.acc
	case toneBold:
		return s.bold
	}
	return lipgloss.NewStyle()
}
