package main

import (
	"context"
	"errors"
	"fmt"

	"aiecon/chart"
)

const forecastKindDescription = "a stored forecast (give its id): operating margin per period with its P10-P90 band per variant, and revenue by line"

// plotForecast draws a stored forecast's fan chart (--kind forecast).
func plotForecast(ctx context.Context, e *env, f plotFlags, refs []string) error {
	if len(refs) != 1 {
		return badInput("--kind forecast draws one forecast: give its id, a unique prefix or \"last\"")
	}
	if err := checkImageFlags(f); err != nil {
		return err
	}
	store, err := openStore(e, true)
	if err != nil {
		return err
	}
	defer store.Close()
	id, err := store.ResolveForecast(ctx, refs[0])
	if err != nil {
		return forecastRefError(err)
	}
	fc, err := store.Forecast(ctx, id)
	if err != nil {
		return err
	}
	incomplete, err := incompleteForecast(ctx, store, fc, nil)
	if err != nil {
		return err
	}
	if incomplete != "" {
		fmt.Fprintf(e.stderr, "aiecon: %s\n", incomplete)
	}
	out := f.output
	if out == "" {
		out = id + "-forecast.png"
	}
	c, err := chart.RenderForecast(ctx, store, id, chart.Options{WidthPx: f.width, HeightPx: f.height})
	if err != nil {
		if errors.Is(err, chart.ErrNoData) {
			return asUsage(err)
		}
		return err
	}
	return saveChart(ctx, e, c, out)
}
