// Command aiecon simulates the economics of serving LLMs and agents on
// Trainium, Inferentia and GPU fleets, stores every run in DuckDB and browses
// them in a terminal dashboard. Run `aiecon help` for the commands.
package main

import (
	"os"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
