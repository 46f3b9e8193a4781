package runner

import (
	"errors"
	"strings"

	"aiecon/model"
	"aiecon/sim"
)

// MaskedByOverrides says which of the file's own values are invalid where
// the user's overrides replace them, so that the run goes ahead on the
// override but the user learns that the file is broken there (it failed
// only later, run without the flag: `horizon: banana` passed under
// --horizon 10m). One note per such field, placed in the file; none for a
// built-in scenario, a file that loads on its own, or a field the file
// does not give (a value only --set provides is not a broken file).
func MaskedByOverrides(l *Loaded) []string {
	if len(l.User) == 0 || !IsFile(l.Name) {
		return nil
	}
	_, _, err := model.Load(l.Name, l.Given, sim.Catalog())
	var errs model.Errors
	if !errors.As(err, &errs) {
		return nil
	}
	index := workloadIndex(l.Given)
	var notes []string
	for _, e := range errs {
		if e.Field == "" || e.Line == 0 {
			continue
		}
		for _, o := range l.User {
			p := indexedPath(o.Path, index)
			if e.Field == p || strings.HasPrefix(e.Field, p+".") || strings.HasPrefix(e.Field, p+"[") {
				notes = append(notes, e.Error()+" (the file's own value, replaced in this run by "+o.String()+"; fix it in the file)")
				break
			}
		}
	}
	return notes
}
