package model

import (
	"errors"
	"testing"
)

// TestOverrideStoppedKeepsInterrupted: a stop signal while a --set value
// is decoded keeps model.ErrInterrupted in the error, which the CLI exits 1
// for: the value's decode error was formatted as text ("--set X: value
// "default" is not valid YAML: interrupted ..."), so a forecast stopped
// while its variants' scenarios loaded read as a bad value, exit 2.
func TestOverrideStoppedKeepsInterrupted(t *testing.T) {
	b, err := DecodeForOverrides("s.yaml", []byte("fleet:\n  count: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseOverride("fleet.count=2")
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	close(stopped)
	defer StopOn(stopped)()
	if _, err := b.Apply([]Override{o}); !errors.Is(err, ErrInterrupted) {
		t.Errorf("a set applied after a stop signal: %v, want model.ErrInterrupted kept", err)
	}
}
