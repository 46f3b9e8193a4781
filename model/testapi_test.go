package model

// What only model's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

// CheckOverridePath is FlagSetter.CheckPath: a path as --set gives it.
func CheckOverridePath(path string) error { return FlagSetter.CheckPath(path) }
