package engine

import "math/rand/v2"

// Streams derives independent random generators from one seed, one per
// component name. Adding a component (a new name) leaves every other stream's
// draws unchanged, and two scenarios that differ in one knob see the same
// traffic when their components keep their names: common random numbers.
type Streams struct {
	seed uint64
}

// NewStreams returns the stream factory for a run seed.
func NewStreams(seed uint64) Streams { return Streams{seed: seed} }

// Seed is the run seed the streams derive from.
func (s Streams) Seed() uint64 { return s.seed }

// Get returns a fresh generator for the named stream. Two calls with the same
// name return generators that produce the same sequence, so each component
// should ask once and keep its generator.
func (s Streams) Get(name string) *rand.Rand {
	return rand.New(s.Source(name))
}

// Source returns the PCG source behind Get, for gonum's distuv distributions
// (their Src field takes a math/rand/v2 Source).
func (s Streams) Source(name string) *rand.PCG {
	h := fnv1a(name)
	return rand.NewPCG(splitmix64(s.seed^h), splitmix64(h+0x9e3779b97f4a7c15*(s.seed|1)))
}

// fnv1a hashes a stream name (FNV-1a, 64 bit).
func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea, Flood 2014): it turns
// correlated inputs (seed 1, seed 2; similar names) into well-spread PCG state.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
