package kernels

// What only kernels' own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"io"

	"aiecon/hw"
)

// ReadImport is ReadImportFile for an unnamed reader: its errors say
// "line N".
func ReadImport(r io.Reader, chipName, source string) ([]hw.ImportedCalibration, error) {
	return ReadImportFile(r, "", chipName, source)
}

// Copies is how many independent operand sets the workload cycles through.
func (w *Workload) Copies() int { return w.copies }
