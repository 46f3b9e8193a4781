package model

import "fmt"

// InputError is a problem with what the user gave (a missing file, a bad
// scenario, a bad flag or --set, a run id that names nothing) rather than a
// failure while working; the CLI exits with code 2 for it. It lives in model,
// the lowest layer, so that every package (data and runner included) marks
// the user's errors with this one type and callers match it with errors.As,
// never by the text of a message.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Input formats a message as an InputError.
func Input(format string, args ...any) error { return &InputError{fmt.Errorf(format, args...)} }

// AsInput marks an existing error as the user's input error (nil stays nil).
func AsInput(err error) error {
	if err == nil {
		return nil
	}
	return &InputError{err}
}
