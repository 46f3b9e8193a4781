package model

import "context"

// ErrInterrupted is the error of a context a stop signal ended (the CLI's):
// it says "interrupted" where context.Canceled said "context canceled",
// and errors.Is takes it for context.Canceled. An interrupted wait on a
// file (ReadFile, ReadFileWith) wraps it too, so that a caller may name the
// file it waited on.
var ErrInterrupted error = interruptedError{}

type interruptedError struct{}

func (interruptedError) Error() string        { return "interrupted" }
func (interruptedError) Is(target error) bool { return target == context.Canceled }
