package forecast

import (
	"errors"
	"testing"

	"aiecon/model"
)

// TestLoadStoppedIsNotRefused: a stop signal while a forecast loads
// (model.StopOn's channel closed, as the CLI's first Ctrl-C closes it) is
// an interruption, exit 1, not a problem of the file: the loader turned
// the error into a field's text, so it read as the forecast file's line
// ("...:14:7: base: ... interrupted", "...:78:10: variants[2].set...: value
// "default" is not valid YAML: interrupted") and exited 2. Stopped before
// the base loads, and stopped while the variants' demand scenarios load
// (the base already loaded), both keep model.ErrInterrupted and are no
// input error.
func TestLoadStoppedIsNotRefused(t *testing.T) {
	name := BuiltinNames()[0]
	whole, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	close(stopped)
	defer model.StopOn(stopped)()
	for _, tt := range []struct {
		what string
		load func() error
	}{
		{"before the file is read", func() error { _, err := Load(name); return err }},
		{"while the base loads", func() error {
			s := &source{file: "built-in forecast " + name}
			whole.loadBase(s, "")
			return s.stopped()
		}},
		{"while the demand scenarios load", func() error {
			s := &source{file: "built-in forecast " + name}
			whole.resolveDemand(s)
			return s.stopped()
		}},
	} {
		err := tt.load()
		var fe model.FieldError
		if !errors.Is(err, model.ErrInterrupted) || errors.As(err, &fe) && fe.Line > 0 {
			t.Errorf("stopped %s: %v, want model.ErrInterrupted placed at no line of the file", tt.what, err)
		}
	}
}
