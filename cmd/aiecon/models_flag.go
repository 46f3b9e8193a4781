package main

import (
	"strings"

	"github.com/spf13/pflag"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
)

// addModelsFlag adds --models, a file of architectures the catalog lacks,
// to a command that reads measurement files (validate, hw fit).
func addModelsFlag(fs *pflag.FlagSet, path *string) {
	fs.StringVar(path, "models", "", "a YAML list of architectures the catalog lacks, for rows that name them (the fields of a scenario's inline model; aiecon models NAME --json prints one)")
}

// extraModels reads the --models file, keyed by name; none without one.
func extraModels(path string) (map[string]llm.Arch, error) {
	if path == "" {
		return nil, nil
	}
	src, err := model.ReadInputFile(path, "models file")
	if err != nil {
		return nil, badInput("--models %s: %w", path, err)
	}
	archs, err := model.ReadModels(path, src)
	if err != nil {
		return nil, model.AsInput(err)
	}
	by := make(map[string]llm.Arch, len(archs))
	for _, a := range archs {
		by[a.Name] = a
	}
	return by, nil
}

// withModels gives each point whose model the catalog does not know the
// architecture the models file has for it (by the model column, or else
// the hf_id column).
func withModels(pts []hw.ServingPoint, extra map[string]llm.Arch) {
	if len(extra) == 0 {
		return
	}
	for i := range pts {
		if _, err := pts[i].Arch(); err == nil {
			continue
		}
		for _, name := range []string{pts[i].Model, pts[i].HFID} {
			if a, ok := extra[strings.ToLower(strings.TrimSpace(name))]; ok {
				pts[i].Inline = &a
				break
			}
		}
	}
}
