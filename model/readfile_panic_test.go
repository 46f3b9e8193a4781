package model

import (
	"errors"
	"strings"
	"testing"
)

// TestInterruptibleRecoversPanic: a panic of the work interruptible runs
// (goccy's decoder on an input no check foresaw) is an input error that
// says so; it killed the process, the dashboard's included.
func TestInterruptibleRecoversPanic(t *testing.T) {
	_, err := interruptible("decoding YAML", func() (int, error) {
		var m map[string]int
		//lint:ignore SA5000 the panic is the test's input
		m["x"]++ // a nil map: a runtime panic, as goccy's nil dereference
		return 0, nil
	})
	var in *InputError
	if !errors.As(err, &in) || !strings.Contains(err.Error(), "the YAML library failed while decoding YAML") ||
		!strings.Contains(err.Error(), "should have been refused") {
		t.Fatalf("got %v, want an input error saying the library failed", err)
	}
}
