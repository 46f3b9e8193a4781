package data

import "sync/atomic"

// writing counts what this process is writing to a store file: each
// read-write Store, from the start of its Open (which may migrate, recover
// or repair the file) to the end of its Close (which checkpoints), and each
// Salvage's new file.
var writing atomic.Int64

// Writing reports whether this process is writing a store file (a
// read-write Store open, opening or closing, or a salvage). A process killed
// then can leave a torn checkpoint, which the next open must repair, or a
// half-copied salvage that reads as a whole store: the CLI holds a second
// stop signal off while it is true rather than die (cmd/aiecon's stopWatch).
func Writing() bool { return writing.Load() > 0 }
