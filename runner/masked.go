package runner

import (
	"errors"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/sim"
)

// SetShown is an override as a one-line message shows it, path=value with
// the value as it was read: without the white space around it, which YAML
// drops (fleet.count=$'4\t', from a TSV column, set 4, and a raw tab after
// it in the run's header jumped to the terminal's next tab stop), and with
// any control character left inside (a tab in quotes) escaped.
// An empty string shows as "": it is what a stored run's params_json gives
// back for one (the optimizer sets fleet.replica.scheduler="", the family's
// own scheduler), and "scheduler=," read as a typo and as the empty value a
// --set refuses.
func SetShown(o model.Override) string {
	v := strings.Trim(o.Value, " \t\r\n")
	if v == "" {
		v = `""`
	}
	return o.Path + "=" + format.Visible(v)
}

// MaskedByOverrides says which of the file's own values are invalid where
// the user's overrides replace them, so that the run goes ahead on the
// override but the user learns that the file is broken there (it failed
// only later, run without the flag: `horizon: banana` passed under
// --horizon 10m). One note per such field, placed in the file; none for a
// built-in scenario, a file that loads on its own (known without loading
// it again where loading found it so: Loaded.writtenLoads), or a field
// the file does not give (a value only --set provides is not a broken
// file).
func MaskedByOverrides(l *Loaded) []string {
	if len(l.User) == 0 || IsBuiltin(l.Name) || l.writtenLoads {
		return nil
	}
	tree := model.DecodeTree(l.Given)
	file := model.Locate(l.Name, l.Given)
	var notes []string
	var replaced []model.Override
	noted := map[string]bool{}
	// The decoder stops at a file's first wrong type, so each pass loads the
	// file with the overrides noted so far applied, to reach the next one.
	for range len(l.User) {
		src := l.Given
		if len(replaced) > 0 {
			merged, err := model.ApplyOverridesIn(l.Name, l.Given, replaced)
			if err != nil {
				break
			}
			src = merged
		}
		_, _, err := model.Load(l.Name, src, sim.Catalog())
		var errs model.Errors
		if !errors.As(err, &errs) {
			break
		}
		found := false
		for _, e := range errs {
			if e.Field == "" || e.Line == 0 || noted[e.Field] {
				continue
			}
			if o, ok := replacedBy(e.Field, l.User, tree); ok {
				e.Line, e.Col = file.PlaceError(e) // where the file gives it, not the merged text
				notes = append(notes, e.Error()+" (the file's own value, replaced in this run by "+SetShown(o)+"; fix it in the file)")
				noted[e.Field], found = true, true
				replaced = append(replaced, o)
			}
		}
		if !found {
			break
		}
	}
	return notes
}

// replacedBy returns the user's override that replaces field, if any.
func replacedBy(field string, user []model.Override, tree any) (model.Override, bool) {
	for _, o := range user {
		p := model.IndexedPath(o.Path, tree)
		if within(field, p) {
			return o, true
		}
	}
	return model.Override{}, false
}
