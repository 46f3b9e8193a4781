// Package layering holds only a test: it enforces the package layout (model
// knows no simulator, sim knows no database or screen, data knows no screen;
// imports only run down model < hw < sim < data < runner < study < tui/cmd) by
// failing when a package imports what it must not. The table in
// layering_test.go is that layout, one row per package.
package layering
