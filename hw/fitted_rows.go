package hw

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// fittedRowsText is the committed constants' training set, one row a line
// as "family<TAB>key" (fitKey): every row of the public training files
// (aws-neuron/aws-neuron-sdk@81ce03ae and the NVIDIA course data that
// serving_defaults.go names) that FitFamily learned from, rows whose
// throughput contradicts their latencies left out (predicted, not fitted).
// TestFittedRowsUpToDate rebuilds it from those files and fails when it
// drifts (go test ./hw -run FittedRows -update rewrites it).
//
//go:embed fitted_rows.txt
var fittedRowsText string

var fittedRows = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(fittedRowsText), "\n") {
		if fam, key, ok := strings.Cut(line, "\t"); ok {
			out[key] = fam
		}
	}
	return out
})

// fitKey names a measurement by what it ran and what it measured: its
// instance, model, TP degree, load, lengths, weights, statistic and both
// times. Two rows alike in all of them are the same measurement for a fit,
// wherever they were read from.
func fitKey(pt ServingPoint) string {
	return fmt.Sprintf("%s|%s|tp%d|b%d|c%d|r%g|in%d|out%d|seq%d|%s|%s|ttft%g|tpot%g", pt.Instance, pt.Model, pt.TP, pt.Batch, pt.Concurrency,
		pt.RequestRate, pt.InputTokens, pt.OutputTokens, pt.SeqLen, pt.WeightDType, pt.Stat, pt.TTFTMs, pt.TPOTMs)
}

// InCommittedFit says whether pt is one of the measurements the committed
// constants of its family were fitted to, and that family: its error under
// them is in sample, a check of the fit, not of the model's predictions
// (docs/calibration.md, "The fit, and its honesty", has the held-out
// errors).
func InCommittedFit(pt ServingPoint) (family string, ok bool) {
	fam, ok := fittedRows()[fitKey(pt)]
	return fam, ok
}
