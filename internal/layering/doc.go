// Package layering holds only a test: it enforces the package layout of
// DESIGN.md (model knows no simulator, sim knows no database or screen, data
// knows no screen) by failing when a package imports what it must not.
package layering
