package model

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// PathType is the Go type of the scenario field a path (selectors by
// index, name or []) names, nil where it names none.
func PathType(path string) reflect.Type {
	return pathTypes()[anyIndexRE.ReplaceAllString(path, "[]")]
}

var pathTypes = sync.OnceValue(func() map[string]reflect.Type {
	m := map[string]reflect.Type{}
	walkPaths(reflect.TypeOf(Scenario{}), "", func(p string, t reflect.Type) { m[p] = t }, 0)
	return m
})

// setTagError is the error for a YAML tag in o's value that does not fit
// the field o's path names, in the words a file's tag gets ("the tag !!int
// marks an integer, not "1m""), naming o and the field; nil where none.
// The value is decoded without its field's type, and the decoder converts
// a tagged scalar itself: horizon=!!int 1m became 0 ("duration "0" needs
// a unit"), name=!!int abc named the run "0", and fleet.count=!!bool 5 was
// refused in the decoder's words.
func setTagError(o Override) error {
	t := PathType(o.Path)
	if t == nil || !strings.Contains(o.Value, "!") {
		return nil
	}
	msg := ""
	tree, _, err := ParseYAML("--set "+o.Path, []byte(o.Value))
	var fe FieldError
	switch {
	case err != nil && errors.As(err, &fe) && strings.HasPrefix(fe.Msg, "the tag "):
		msg = fe.Msg // a tag on what it is not written on (!!seq 6): the parser's check
	case err != nil || len(tree.Docs) == 0 || tree.Docs[0].Body == nil:
		return nil // the decode reports it
	default:
		body := tree.Docs[0].Body
		c := wholeChecker{anchors: anchorsIn(body), tagsOnly: true}
		if _, m := c.find(body, t); m != "" {
			msg = m
		}
	}
	if msg == "" {
		return nil
	}
	if o.From == "" && o.Variant == "" {
		return fmt.Errorf("%s: %s: %s", o.Typed(), o.Path, msg)
	}
	return o.blame(fmt.Errorf("--set %s: %s: %s", o.Path, o.Path, msg))
}
