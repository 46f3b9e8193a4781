package tui

import (
	"fmt"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/runner"
)

// runSetup is what a run served and on what: read from the resolved
// scenario stored with the run, so the run screen names the model, the
// instance and count, the TP degree, the scheduler and where the step
// times come from (the same line `aiecon run` prints).
type runSetup struct {
	model     string
	instance  string
	count     int
	pricing   string
	tp        int
	scheduler string
	stepTimes string
}

// setupOf reads a run's setup from its stored scenario (resolved when
// there is one: every default filled in). A run stored without a scenario,
// or with one that no longer parses (an older version), has none: the
// screen then shows what the KPIs say and nothing more.
func setupOf(resolved, given string) (*runSetup, error) {
	src := resolved
	if src == "" {
		src = given
	}
	if src == "" {
		return nil, nil
	}
	sc, _, err := model.Parse("stored scenario", []byte(src))
	if err != nil {
		return nil, fmt.Errorf("reading the run's stored scenario: %w", err)
	}
	return &runSetup{
		model:     sc.Model.Name,
		instance:  sc.Fleet.Instance,
		count:     sc.Fleet.Count,
		pricing:   sc.Fleet.Pricing,
		tp:        sc.Fleet.Replica.TP,
		scheduler: sc.Fleet.Replica.Scheduler,
		stepTimes: runner.StepTimesSource(sc, nil),
	}, nil
}

// parts are the setup's phrases in reading order; zero fields (a scenario
// stored before resolution) are left out rather than shown as 0.
func (s *runSetup) parts() []string {
	var parts []string
	what := s.model
	if s.instance != "" {
		fleet := s.instance
		if s.count > 0 {
			fleet = fmt.Sprintf("%d × %s", s.count, s.instance)
		}
		if what != "" {
			what += " on "
		}
		what += fleet
	}
	if what != "" {
		parts = append(parts, what)
	}
	if s.tp > 0 {
		parts = append(parts, fmt.Sprintf("TP %d", s.tp))
	}
	if s.scheduler != "" {
		parts = append(parts, s.scheduler+" scheduler")
	}
	if s.pricing != "" {
		parts = append(parts, s.pricing)
	}
	if s.stepTimes != "" && s.stepTimes != "-" {
		parts = append(parts, "step times: "+s.stepTimes)
	}
	return parts
}

// fmtWhole prints a count that is whole as an integer ("4"), and a
// time-averaged one that autoscaling moved with one decimal ("4.4").
var fmtWhole = format.AvgCount
