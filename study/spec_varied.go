package study

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"aiecon/model"
)

// variedPath is one path a sweep varies and the section that varies it
// (zip, parameters or montecarlo.parameters).
type variedPath struct{ section, path string }

// varied is every path the sweep varies, zip's first, in file order.
func (sp *Spec) varied() []variedPath {
	var out []variedPath
	for _, a := range sp.Zip {
		out = append(out, variedPath{"zip", a.Path})
	}
	for _, a := range sp.Parameters {
		out = append(out, variedPath{"parameters", a.Path})
	}
	if sp.MonteCarlo != nil {
		for _, p := range sp.MonteCarlo.Params {
			out = append(out, variedPath{"montecarlo.parameters", p.Path})
		}
	}
	return out
}

// pathTrees are the scenarios a sweep's paths name list elements in
// (model.IndexedPath): the base with the file's set, which may rename an
// element, then the base as written. Nil without a base.
func (sp *Spec) pathTrees() []any {
	if sp.Base.Source == nil {
		return nil
	}
	var trees []any
	if len(sp.Set) > 0 {
		if merged, err := model.ApplyOverridesIn(sp.Base.Name, sp.Base.Source, sp.Set); err == nil {
			trees = append(trees, model.DecodeTree(merged))
		}
	}
	return append(trees, model.DecodeTree(sp.Base.Source))
}

// checkVariedOnce refuses a field varied twice: under one spelling twice,
// under two (workloads[chat].arrivals.rate and workloads[0].arrivals.rate,
// whose points were labelled with values of the first that never ran: each
// point set the second after it), or as a block and a field inside it. A
// sweep read back from the store ran as it is: only a path written twice,
// refused since the first stored sweep, is refused there.
func (r *reader) checkVariedOnce(sp *Spec) {
	trees := sp.pathTrees()
	vs := sp.varied()
	for i, v := range vs {
		for _, prev := range vs[:i] {
			if r.frozen && v.path != prev.path || !model.PathsOverlap(v.path, prev.path, trees...) {
				continue
			}
			msg := "is also varied under " + prev.section + "; vary each path once"
			if idx := model.IndexedPath(v.path, trees...); v.path != prev.path && idx == model.IndexedPath(prev.path, trees...) {
				msg = fmt.Sprintf("is also varied under %s, as %s (both name %s): each point would run the later's value "+
					"and be labelled with both; vary each field once", prev.section, prev.path, idx)
			} else if v.path != prev.path {
				msg = fmt.Sprintf("overlaps %s.%s, also varied (one holds the other): each point would set both, the later "+
					"overwriting the earlier; vary each field once", prev.section, prev.path)
			}
			r.errs = append(r.errs, model.FieldError{File: r.file, Field: v.section + "." + v.path, Msg: msg})
			break
		}
	}
}

// refuseSetOnVaried refuses a --set (typed as typed: "--set PATH=VALUE",
// or a flag standing for one) of a field the sweep varies, or of a block
// holding one or a field inside one: each point sets the varied field
// after the --set, which was dropped without a word (run refuses a --set
// of a field its variants set, for the same reason).
func (r *reader) refuseSetOnVaried(sp *Spec, typed string, o model.Override) bool {
	varied, ok := r.variedUnder(sp, o.Path, sp.pathTrees())
	if !ok {
		return false
	}
	flag, _, _ := strings.Cut(typed, " ") // --set, or --horizon
	r.errs = append(r.errs, model.FieldError{File: typed, Msg: fmt.Sprintf(
		"changes %s, which the sweep varies (%s): each point sets it after the %s, which would have no effect. "+
			"Drop the %s, or change the values the sweep file lists", o.Path, varied, flag, flag)})
	return true
}

// variedUnder names the first path the sweep varies that path equals,
// holds or lies in ("parameters.fleet.count at sweep.yaml:7:3"), as the
// refusals of a set of it say it; ok is false where none does.
func (r *reader) variedUnder(sp *Spec, path string, trees []any) (string, bool) {
	v, where, ok := sp.variedAt(r.origins, path, trees)
	return v.section + "." + v.path + where, ok
}

// variedAt is the first path the sweep varies that path equals, holds or
// lies in, and where the file writes it (" at sweep.yaml:7:3", from
// origins; "" where unknown); ok is false where none does.
func (sp *Spec) variedAt(origins map[string]string, path string, trees []any) (v variedPath, where string, ok bool) {
	for _, v := range sp.varied() {
		if !model.PathsOverlap(path, v.path, trees...) {
			continue
		}
		if at := origins["param:"+v.path]; at != "" {
			where = " at " + at
		}
		return v, where, true
	}
	return variedPath{}, "", false
}

// refuseFileSetOnVaried refuses an entry of the file's own set that
// changes a field the sweep varies (or a block holding one, or a field in
// a varied block), at the entry's line, as refuseSetOnVaried does a
// --set: every point set the varied field after it, so the set was
// dropped without a word. A stored sweep ran as it is, and reads back.
func (r *reader) refuseFileSetOnVaried(sp *Spec, root *ast.MappingNode) {
	if r.frozen || len(sp.Set) == 0 {
		return
	}
	keys := map[string]ast.Node{} // each set entry's key, to place its refusal
	for _, mv := range root.Values {
		if m := asMapping(mv.Value); keyText(mv) == "set" && m != nil {
			for _, e := range m.Values {
				keys[keyText(e)] = e.Key
			}
		}
	}
	trees := sp.pathTrees()
	for _, o := range sp.Set {
		if varied, ok := r.variedUnder(sp, o.Path, trees); ok {
			r.errf(keys[o.Path], "set."+o.Path, "changes %s, which the sweep varies (%s): each point sets it after the set, "+
				"which would have no effect. Drop it from the set, or change the values the sweep lists", o.Path, varied)
		}
	}
}
