package model

import "context"

// ErrInterrupted is the error of a context a stop signal ended (the CLI's):
// it says "interrupted" where context.Canceled said "context canceled",
// and errors.Is takes it for context.Canceled. An interrupted wait on a
// file wraps it too: ReadFileWith's in an *fs.PathError naming the file,
// ReadInputFile's for its caller to name.
var ErrInterrupted error = interruptedError{}

type interruptedError struct{}

func (interruptedError) Error() string        { return "interrupted" }
func (interruptedError) Is(target error) bool { return target == context.Canceled }
