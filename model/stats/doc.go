// Package stats holds the few statistics that the simulator and the
// studies must compute alike (a run's percentiles and a sweep's, a run's
// effective events and a forecast's), so that each is written once. It
// imports nothing of aiecon.
package stats
