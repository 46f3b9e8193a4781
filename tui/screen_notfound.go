package tui

import (
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"aiecon/data"
)

// notFounder is a screen opened on a reference (an id typed after :sweep
// or :forecast) that can tell when a load error says the reference names
// nothing and the screen never showed what it names: the app then closes
// it with the error in the footer (closeNotFound), as the Run screen does
// for :run zzz. Such a screen stayed on the stack with nothing to show and
// keys that did nothing (:forecast zzz twice read Runs › Forecast zzz ›
// Forecast zzz, its footer advertising v and r).
type notFounder interface {
	notFound(err error) bool
}

// notFound: an unknown sweep id that never loaded. The sweeps list (no
// id) never closes: an empty store has its own panel there.
func (s *sweepScreen) notFound(err error) bool {
	return !s.loaded && s.sweepID != "" && errors.Is(err, data.ErrSweepNotFound)
}

// notFound: an unknown forecast id that never loaded. :forecast alone
// (the last one) stays: on a store without forecasts its panel says how
// to make one.
func (s *forecastScreen) notFound(err error) bool {
	last := s.ref == "" || strings.EqualFold(strings.TrimSpace(s.ref), "last")
	return !s.loaded && !last && errors.Is(err, data.ErrForecastNotFound)
}

// closeNotFound closes the screen a load result is for where that screen
// says its reference names nothing (notFounder); done says it did.
func (a *App) closeNotFound(msg tea.Msg) (cmd tea.Cmd, done bool) {
	r, ok := msg.(loadResult)
	t, ok2 := msg.(targeted)
	if !ok || !ok2 || r.loadErr() == nil {
		return nil, false
	}
	nf, ok := a.find(t.target()).(notFounder)
	if !ok || !nf.notFound(r.loadErr()) {
		return nil, false
	}
	return cmdOf(closeScreenMsg{sid: t.target(), why: oneLine(r.loadErr().Error())}), true
}
