//go:build !unix

package data

// holderMode: only Linux's lock table says how a process holds a file.
func holderMode(string, int) string { return HolderUnknown }
