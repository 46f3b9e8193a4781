// Package layering holds only a test: it enforces the package layout (model
// knows no simulator, sim knows no database or screen, data knows no screen;
// imports only run down model < hw < sim < data < runner < study < tui/cmd) by
// failing when a package imports what it must not. The tables in
// layering_test.go are that layout, one row per package: the packages of
// ours it may import, and the third-party modules (the DuckDB driver in
// data alone, the terminal UI libraries in tui and cmd/aiecon alone,
// gonum's plotting in chart alone), and the standard-library packages a
// package must not import (os in model/format, which touches no file).
package layering
