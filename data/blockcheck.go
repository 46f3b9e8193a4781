package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"aiecon/model/format"
)

// The layout of a DuckDB database file of storage version 64 (DuckDB 1.x):
// a main header (magic "DUCK" at byte 8, the storage version after it), two
// database headers that take turns at each checkpoint (the one with the
// higher iteration is the live one), then blocks of the block allocation
// size. Each database header and each block starts with an 8-byte checksum
// of the rest of it.
const (
	duckHeaderSize   = 4096
	duckBlocksStart  = 3 * duckHeaderSize
	duckStorageV64   = 64
	duckChecksumSeed = 5381
	duckChecksumMul  = 0xbf58476d1ce4e5b9
)

// BlockCheck is what CheckBlocks found in a database file.
type BlockCheck struct {
	Headers   [2]HeaderCheck
	BlockSize int
	Blocks    int
	Bad       []int // ids of the blocks whose checksum fails
	// ShortTail: the file ends inside its last block (the last id in Bad),
	// as a kill leaves it while DuckDB extends the file.
	ShortTail bool
	// HeaderBlocks is the block count the live header records: the blocks
	// its checkpoint may use.
	HeaderBlocks int
}

// HeaderCheck is one database header: its checkpoint iteration and whether
// its checksum holds.
type HeaderCheck struct {
	Iteration uint64
	Valid     bool
}

// Torn reports the mark of a write cut short by a kill: both headers intact,
// some block failing its checksum. DuckDB rewrites some blocks that the last
// checkpoint still uses in place during a checkpoint, and Linux stops a
// buffered write between pages when SIGKILL arrives, so a kill -9 at that
// moment leaves a block part new and part old (docs/sweeps.md, Damaged
// stores).
func (c BlockCheck) Torn() bool {
	return c.Headers[0].Valid && c.Headers[1].Valid && len(c.Bad) > 0
}

// String says what was found in a line.
func (c BlockCheck) String() string {
	h := func(x HeaderCheck) string {
		if x.Valid {
			return fmt.Sprintf("iteration %d, valid", x.Iteration)
		}
		return fmt.Sprintf("iteration %d, CHECKSUM FAILS", x.Iteration)
	}
	s := fmt.Sprintf("DuckDB storage v%d: headers (%s; %s); %d blocks of %d KiB", duckStorageV64,
		h(c.Headers[0]), h(c.Headers[1]), c.Blocks, c.BlockSize/1024)
	switch {
	case c.HeaderBlocks > c.Blocks:
		s += fmt.Sprintf(", CUT SHORT: the live header records %d blocks", c.HeaderBlocks)
	case c.ShortTail:
		s += ", the file ending inside its last block"
	}
	if len(c.Bad) == 0 {
		return s + ", every checksum holds"
	}
	verb := "fail their"
	if len(c.Bad) == 1 {
		verb = "fails its"
	}
	s += fmt.Sprintf("; %d %s checksum:", len(c.Bad), verb)
	for i, b := range c.Bad {
		if i == 8 {
			return s + fmt.Sprintf(" and %d more", len(c.Bad)-8)
		}
		s += fmt.Sprintf(" block %d (byte %d)", b, duckBlocksStart+b*c.BlockSize)
	}
	return s
}

// duckChecksum is DuckDB's checksum of a header or block body: the XOR of
// each little-endian 64-bit word times a constant, over a seed. Bodies are
// whole words in both cases.
func duckChecksum(b []byte) uint64 {
	r := uint64(duckChecksumSeed)
	for i := 0; i+8 <= len(b); i += 8 {
		r ^= binary.LittleEndian.Uint64(b[i:]) * duckChecksumMul
	}
	return r
}

// CheckBlocks verifies the checksum of both database headers and of every
// block of a DuckDB file, reading it once, block by block, without DuckDB:
// it works on a file DuckDB refuses to open, and says which blocks are
// damaged. It never writes.
func CheckBlocks(path string) (BlockCheck, error) {
	var c BlockCheck
	// A pipe or a device would block the reads below forever.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return c, fmt.Errorf("%w: it is a %s, not a regular file", ErrNotStore, format.FileKind(fi.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return c, err
	}
	defer f.Close()
	head := make([]byte, duckBlocksStart)
	if _, err := io.ReadFull(f, head); err != nil {
		return c, fmt.Errorf("%s: too short for a DuckDB file: %w", path, err)
	}
	if string(head[8:12]) != "DUCK" {
		return c, fmt.Errorf("%s is not a DuckDB file", path)
	}
	if v := binary.LittleEndian.Uint64(head[12:]); v != duckStorageV64 {
		return c, fmt.Errorf("%s: DuckDB storage version %d; the block check knows version %d", path, v, duckStorageV64)
	}
	live := 0
	for i := range c.Headers {
		h := head[duckHeaderSize*(i+1) : duckHeaderSize*(i+2)]
		c.Headers[i] = HeaderCheck{Iteration: binary.LittleEndian.Uint64(h[8:]),
			Valid: duckChecksum(h[8:]) == binary.LittleEndian.Uint64(h)}
		if c.Headers[i].Valid && c.Headers[i].Iteration >= c.Headers[live].Iteration {
			live = i
		}
	}
	// The block allocation size follows iteration, meta block, free list and
	// block count in the header.
	lh := head[duckHeaderSize*(live+1):]
	c.BlockSize = int(binary.LittleEndian.Uint64(lh[40:]))
	c.HeaderBlocks = int(min(binary.LittleEndian.Uint64(lh[32:]), 1<<40))
	if c.BlockSize < duckHeaderSize || c.BlockSize > 1<<24 || c.BlockSize%8 != 0 {
		return c, fmt.Errorf("%s: a block size of %d bytes in the live header is not plausible", path, c.BlockSize)
	}
	freePtr := binary.LittleEndian.Uint64(lh[24:])
	blk := make([]byte, c.BlockSize)
	for id := 0; ; id++ {
		_, err := io.ReadFull(f, blk)
		if errors.Is(err, io.EOF) {
			if c.HeaderBlocks > c.Blocks {
				c.HeaderBlocks -= freeTail(f, c, freePtr)
			}
			return c, nil
		}
		if err != nil { // a last block cut short counts as damaged
			c.Bad = append(c.Bad, id)
			c.Blocks++
			c.ShortTail = true
			return c, nil
		}
		c.Blocks++
		if duckChecksum(blk[8:]) != binary.LittleEndian.Uint64(blk) {
			c.Bad = append(c.Bad, id)
		}
	}
}

// freeTail is how many of the blocks the live header counts past the end
// of the file are on its free list. DuckDB writes the header, then trims
// the free blocks at the end of the file, so a healthy file can hold fewer
// blocks than its header counts: those are free, and the header's own
// checkpoint uses none of them. The free list is in the metadata blocks:
// a pointer's low 56 bits are a block, its high 8 a metadata sub-block
// (64 per block, each (block size - 8) / 64 bytes rounded down to 8, each
// starting with the pointer to the next); the list is a count and the
// block ids. Anything unreadable counts no block as free.
func freeTail(f *os.File, c BlockCheck, ptr uint64) int {
	const invalid = ^uint64(0)
	sub := (c.BlockSize - 8) / 64 &^ 7
	free := map[uint64]bool{}
	var buf []byte
	next := ptr
	read := func() bool { // the next metadata sub-block's data into buf
		if next == invalid || int(next&(1<<56-1)) >= c.Blocks {
			return false
		}
		b := make([]byte, sub)
		off := int64(duckBlocksStart) + int64(next&(1<<56-1))*int64(c.BlockSize) + 8 + int64(next>>56)*int64(sub)
		if _, err := f.ReadAt(b, off); err != nil {
			return false
		}
		next = binary.LittleEndian.Uint64(b)
		buf = b[8:]
		return true
	}
	u64 := func() (uint64, bool) {
		if len(buf) < 8 && !read() {
			return 0, false
		}
		v := binary.LittleEndian.Uint64(buf)
		buf = buf[8:]
		return v, true
	}
	if ptr == invalid || !read() {
		return 0
	}
	n, ok := u64()
	if !ok || n > uint64(c.HeaderBlocks) {
		return 0
	}
	for range n {
		id, ok := u64()
		if !ok {
			return 0
		}
		free[id] = true
	}
	tail := 0
	for id := c.HeaderBlocks - 1; id >= c.Blocks && free[uint64(id)]; id-- {
		tail++
	}
	return tail
}
