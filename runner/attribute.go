package runner

import (
	"errors"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model"
)

// attributeOverrides rewrites errors about overridden fields to name the
// --set that caused them, and places the others in original, the file as
// written (line numbers from the merged text would point past its end).
// Errors name list elements by index (workloads[0].arrivals.rate) and a
// --set may name one by its name (workloads[chat].arrivals.rate): merged,
// the scenario after the overrides, tells which index a name is, and the
// file as written does for a name a --set changed (--set
// workloads[chat].name=... was blamed on the file's line of the name).
func attributeOverrides(err error, overrides []model.Override, merged []byte, original *model.Source) error {
	var errs model.Errors
	if len(overrides) == 0 || !errors.As(err, &errs) {
		return err
	}
	// An error that names no field is the text's own (a duplicate key, a
	// merge key clashing with a key beside it): --set writes well-formed
	// YAML, so the file holds it too. Report it as the file, decoded alone,
	// does, at its own line: the merged text's lines are not the file's.
	for _, e := range errs {
		if e.Field == "" && e.Line > 0 {
			var own model.Errors
			if _, _, perr := model.Parse(original.File, original.Text); errors.As(perr, &own) {
				return own
			}
			break
		}
	}
	trees := []any{model.DecodeTree(merged), model.DecodeTree(original.Text)}
	out := make(model.Errors, len(errs))
	for i, e := range errs {
		// The merged text's lines are not the file's: place the field in
		// the file the user wrote (or its nearest parent there).
		if e.Field != "" && e.Line > 0 {
			e.Line, e.Col = original.PlaceError(e)
		}
		out[i] = e
		if o, ok := causedBy(e, overrides, trees); ok {
			spelled := spelling(o.Path, trees)
			e.Field, e.Msg = spelled(e.Field), spelled(e.Msg)
			out[i] = model.FieldError{File: o.Typed(), Field: e.Field, Msg: e.Msg, Cause: e.Cause}
			if o.From != "" { // a sweep's value, a variant's entry at its line
				out[i].File = o.From
			} else if o.Variant != "" {
				out[i].File = o.SetEntry()
			}
			if o.Variant != "" {
				out[i].Msg = AdviseSet(e, "this variant's set")
			}
		}
	}
	return out
}

// AdviseSet is e's message for an error a file's set causes, its advice
// to --set the field (an owned fleet's price) given as advice to add the
// field to set ("this variant's set"): a --set would give every variant
// that value (the rented ones a price instead of the catalog's), and
// mends outside the file what the file's own set left out.
func AdviseSet(e model.FieldError, set string) string {
	before, value, rest, ok := SetAdvice(e)
	if !ok {
		return e.Msg
	}
	return strings.TrimSpace(before + "add " + e.Field + ": " + value + " to " + set + " " + rest)
}

// SetAdvice splits e's message at its advice to --set e's field
// ("give it, e.g. --set fleet.price_usd_per_hour=N (USD per
// server-hour)"): the text before the --set, the value it advises, and
// the text after; ok is false where the message gives no such advice.
func SetAdvice(e model.FieldError) (before, value, rest string, ok bool) {
	given := "--set " + e.Field + "="
	i := strings.Index(e.Msg, given)
	if i < 0 || e.Field == "" {
		return "", "", "", false
	}
	value, rest, _ = strings.Cut(e.Msg[i+len(given):], " ")
	return e.Msg[:i], value, rest, true
}

// causedBy is the override an error is about: the last that sets its
// field or one above it; else the last that sets its cause (or one above
// it); else one that renames a list element to or from a name the error
// quotes (renaming workload chat to shopping-assistant was reported as the
// file's shopping-assistant being a duplicate, at its line; renaming pool
// small, as routing.small naming no pool "small").
func causedBy(e model.FieldError, overrides []model.Override, trees []any) (model.Override, bool) {
	if e.Field == "" {
		return model.Override{}, false
	}
	var found model.Override
	ok := false
	for _, o := range overrides {
		p := model.IndexedPath(o.Path, trees...)
		if within(e.Field, p) {
			found, ok = o, true
		}
	}
	if ok {
		return found, true
	}
	// A field no --set gave, made an error by one that a --set did (--set
	// fleet.pricing=owned leaving the price required): that --set's.
	// Of several causes, the last --set of any. A --set below a cause
	// changes it too (--set fleet.autoscale.max=8 gives a fleet the
	// autoscaling that fleet-idle training cannot share it with).
	for i := len(overrides) - 1; i >= 0 && e.Cause != ""; i-- {
		p := model.IndexedPath(overrides[i].Path, trees...)
		for _, c := range e.Causes() {
			if samePath(c, p) {
				return overrides[i], true
			}
		}
	}
	// A block the file does not write, which an override of a field in it
	// made (--set ads.slots=2 adds ads, refused without an agent
	// workload): that override's, not the line of the file's nearest
	// field, which has nothing to do with it.
	if _, written := model.LookupPath(trees[len(trees)-1], e.Field); !written {
		for i := len(overrides) - 1; i >= 0; i-- {
			if within(model.IndexedPath(overrides[i].Path, trees...), e.Field) {
				return overrides[i], true
			}
		}
	}
	// A field of a block the file does not write, made by an override of
	// another field in it (--set fleet.replica.speculative.draft=... left
	// acceptance required, placed at the file's replica line): that
	// override's.
	if parent, ok := blockOf(e.Field); ok {
		if _, written := model.LookupPath(trees[len(trees)-1], parent); !written {
			for i := len(overrides) - 1; i >= 0; i-- {
				if within(model.IndexedPath(overrides[i].Path, trees...), parent) {
					return overrides[i], true
				}
			}
		}
	}
	for _, o := range overrides {
		for _, name := range renames(o, trees[len(trees)-1]) {
			if strings.Contains(e.Msg, strconv.Quote(name)) {
				return o, true
			}
		}
	}
	return model.Override{}, false
}

// renames are the names an override of a list element's name (a path
// ending in [SELECTOR].name) gives and takes away: its value, and the name
// at its path in the file as written. The model's name is the main pool's
// (model.Scenario.MainPoolName): --set model=... renames it, and the
// routing that names the file's model names no pool.
func renames(o model.Override, original any) []string {
	if parent, ok := strings.CutSuffix(o.Path, ".name"); o.Path != "model" && (!ok || !strings.HasSuffix(parent, "]")) {
		return nil
	}
	var names []string
	var given any
	if yaml.Unmarshal([]byte(o.Value), &given) == nil {
		if s, ok := given.(string); ok && s != "" {
			names = append(names, s)
		}
	}
	if old, ok := model.LookupPath(original, o.Path); ok {
		if s, ok := old.(string); ok && s != "" {
			names = append(names, s)
		}
	}
	return names
}

// spelling rewrites, in a field or a message, the list elements path names
// by name from the index that errors name them by back to that name
// (pools[0] -> pools[small], workloads[0] -> workloads[chat]): an error
// about an override then reads as the override was written, not as
// "--set pools[small].fleet.count=-1: pools[0].fleet.count: ...". An
// element the path names by index is left as it is.
func spelling(path string, trees []any) func(string) string {
	type alias struct{ indexed, named string }
	var aliases []alias // the shortest prefix first
	for i := 0; i < len(path); i++ {
		open := strings.LastIndexByte(path[:i], '[')
		if path[i] != ']' || open < 0 || strings.Trim(path[open+1:i], "0123456789") == "" {
			continue
		}
		named := path[:i+1]
		if indexed := model.IndexedPath(named, trees...); indexed != named {
			aliases = append(aliases, alias{indexed, named})
		}
	}
	return func(s string) string {
		for k := len(aliases) - 1; k >= 0; k-- { // an element inside another first
			s = replacePath(s, aliases[k].indexed, aliases[k].named)
		}
		return s
	}
}

// replacePath replaces old, a path ending in a selector, with new in s
// where it starts a path (not inside another: ads.workloads[0] is not
// workloads[0]).
func replacePath(s, old, new string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		starts := i == 0 || !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[", rune(s[i-1]))
		b.WriteString(s[:i])
		if starts {
			b.WriteString(new)
		} else {
			b.WriteString(old)
		}
		s = s[i+len(old):]
	}
}

// blockOf is the block a field is in (fleet.replica for
// fleet.replica.tp); ok is false for a top-level field.
func blockOf(field string) (string, bool) {
	i := strings.LastIndexByte(field, '.')
	if i < 0 {
		return "", false
	}
	return field[:i], true
}
