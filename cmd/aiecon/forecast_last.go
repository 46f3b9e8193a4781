package main

import (
	"context"
	"fmt"
	"strings"

	"aiecon/data"
	"aiecon/model/format"
)

// resumeID is the unfinished forecast --resume names. "last" is the
// latest one of this file and shard: the latest of any file was taken, so
// that in a store keeping stopped forecasts of two files, the resume of
// the one stopped first was refused as "the forecast file changed", which
// it had not, and the id that would work went unnamed. Where no stopped
// forecast is of this file and shard, the refusal lists those there are.
func (r *forecastRun) resumeID(ctx context.Context, e *env) (string, error) {
	if strings.ToLower(strings.TrimSpace(r.flags.resume)) != "last" {
		id, err := r.store.ResolveForecastCheckpoint(ctx, r.flags.resume)
		if err != nil {
			return "", asUsage(err)
		}
		return id, nil
	}
	all, err := r.store.UnfinishedForecasts(ctx)
	if err != nil {
		return "", err
	}
	if len(all) == 0 { // its message says there is none, and why
		_, err := r.store.ResolveForecastCheckpoint(ctx, r.flags.resume)
		return "", asUsage(err)
	}
	want := r.fc.Fingerprint(r.shard, aieconVersion())
	for _, u := range all {
		if u.PlanSHA256 == want.PlanSHA256 && u.Shard == want.Shard {
			return u.ID, nil
		}
	}
	return "", r.noLastOfThisFile(e, all)
}

// noLastOfThisFile refuses (exit 2) --resume last where none of the
// stopped forecasts all is of this file and shard, naming each with the
// command that resumes it.
func (r *forecastRun) noLastOfThisFile(e *env, all []data.KeptForecast) error {
	what := "this forecast file"
	if r.shard.Count > 1 {
		what += " and shard " + r.shard.String()
	}
	var each []string
	for _, u := range all {
		each = append(each, fmt.Sprintf("%s (forecast %s, file SHA-256 %.12s, %s kept), resumed with the file it was started from "+
			"(FILE) as: %s", u.ID, keptForecastName(u), u.PlanSHA256, plural(u.Runs, "run"), resumeCommandOf(e, u)))
	}
	return badInput("%s keeps no stopped forecast of %s (SHA-256 %.12s) for --resume last; it keeps %s: %s", r.store.Path(), what,
		r.fc.Fingerprint(r.shard, "").PlanSHA256, plural(len(all), "stopped forecast"), strings.Join(each, "; "))
}

// resumeCommandOf is the command that resumes stopped forecast u, its
// file written FILE: the store keeps the file's digest, not its path.
func resumeCommandOf(e *env, u data.KeptForecast) string {
	return storedResumeCommand(e.dbPath, u.ID, "FILE", u.ForecastFingerprint)
}

// keptForecastName is stopped forecast u's name as a message shows it:
// its runs carry it, and a store written by another program or an older
// build may hold a control character there, which printed raw would
// rewrite the terminal, so it is escaped (format.Visible).
func keptForecastName(u data.KeptForecast) string {
	if u.Name == "" {
		return "of unknown name: its runs were deleted"
	}
	return format.Visible(u.Name)
}
