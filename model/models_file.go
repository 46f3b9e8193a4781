package model

import (
	"fmt"
	"strings"

	"aiecon/model/llm"
)

// maxModelsFileBytes bounds a models file: a few hundred architectures fit
// in a hundred kilobytes; a file larger than a megabyte is not one.
const maxModelsFileBytes = 1 << 20

// ReadModels reads a models file: a YAML list of architectures in the
// schema of a scenario's inline model (docs/scenarios.md; `aiecon models
// NAME --json` prints one), for measurements of models the catalog lacks.
// Each must validate, including its published parameter count against its
// shape; a name may appear once and may not be a catalog name or one of
// its releases (the catalog's shape wins, so a second one would be
// ignored). Errors name the file, line and field.
func ReadModels(file string, src []byte) ([]llm.Arch, error) {
	if len(src) > maxModelsFileBytes {
		return nil, Errors{{File: file, Msg: fmt.Sprintf("%d bytes is larger than a models file may be (%d)", len(src), maxModelsFileBytes)}}
	}
	source := &Source{File: file}
	tree, text, err := ParseYAML(file, src)
	source.Text = text
	if err != nil {
		return nil, Errors{source.decodeError(err)}
	}
	source.tree = tree
	if len(tree.Docs) != 1 || tree.Docs[0].Body == nil {
		return nil, Errors{{File: file, Msg: "want one YAML document: a list of architectures (name, hidden, layers, heads, kv_heads, ffn, vocab, max_context, ...)"}}
	}
	var archs []llm.Arch
	if err := DecodeStrict(tree, text, &archs); err != nil {
		return nil, Errors{source.decodeError(err)}
	}
	if len(archs) == 0 {
		return nil, Errors{{File: file, Msg: "no architecture in the list"}}
	}
	var errs Errors
	seen := map[string]bool{}
	for i, a := range archs {
		field := fmt.Sprintf("[%d]", i)
		key := strings.ToLower(strings.TrimSpace(a.Name))
		if err := a.Validate(); err != nil {
			errs = append(errs, source.errorf(field, "%v", err))
			continue
		}
		if msg := BadLabel(a.Name); msg != "" { // printed in reports as a scenario's model is
			errs = append(errs, source.errorf(field+".name", "%s", msg))
			continue
		}
		if c, err := llm.Lookup(key); err == nil {
			errs = append(errs, source.errorf(field+".name", "%q is the catalog's %s (aiecon models %s); give this shape another name", a.Name, c.Name, c.Name))
			continue
		}
		if seen[key] {
			errs = append(errs, source.errorf(field+".name", "%q appears twice", a.Name))
		}
		seen[key] = true
		archs[i].Name = key
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return archs, nil
}
