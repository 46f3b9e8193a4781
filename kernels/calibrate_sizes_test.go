package kernels

import (
	"testing"

	"aiecon/hw"
)

// TestProbeSizesFollowL3: the triad arrays, like the cold-operand rotation,
// are sized past the detected L3, and both are capped. The triad stayed at
// 3 x 64 MiB on a host reporting a 480 MiB L3, so the "DRAM" bandwidth
// every host efficiency is defined against came from cache; the rotation
// grew to 1.9 GiB per format with no bound.
func TestProbeSizesFollowL3(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name             string
		l3               int64
		set              Options
		wantTriad, wantC int64
	}{
		{"L3 unknown", 0, Options{}, 64 * mib, 128 * mib},
		{"32 MiB L3", 32 * mib, Options{}, 64 * mib, 128 * mib},
		{"96 MiB L3", 96 * mib, Options{}, 128 * mib, 384 * mib},
		{"480 MiB L3", 480 * mib, Options{}, maxTriadBytes, 1920 * mib},
		{"1 GiB L3", 1024 * mib, Options{}, maxTriadBytes, maxColdBytes},
		{"sizes given", 480 * mib, Options{TriadBytes: 32 * mib, ColdBytes: 64 * mib}, 32 * mib, 64 * mib},
	}
	for _, tt := range tests {
		got := tt.set.withDefaults(hw.Machine{L3Bytes: tt.l3})
		if got.TriadBytes != tt.wantTriad || got.ColdBytes != tt.wantC {
			t.Errorf("%s: triad %d MiB, cold %d MiB; want %d and %d", tt.name, got.TriadBytes/mib, got.ColdBytes/mib, tt.wantTriad/mib, tt.wantC/mib)
		}
		if tt.l3 > 0 && tt.set.TriadBytes == 0 && got.TriadBytes < maxTriadBytes && 3*got.TriadBytes < 4*tt.l3 {
			t.Errorf("%s: three %d MiB triad arrays do not span 4 x the L3", tt.name, got.TriadBytes/mib)
		}
	}
}
