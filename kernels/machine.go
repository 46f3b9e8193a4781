package kernels

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"

	"aiecon/hw"
)

// DescribeMachine says what host the measurements come from: CPU model, core
// count, GOMAXPROCS, last-level cache size, OS, architecture, Go version and
// BLAS. Fields the OS does not expose are left empty ("unknown" for the model).
func DescribeMachine() hw.Machine {
	return hw.Machine{
		CPUModel:   cpuModel(),
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		L3Bytes:    l3Bytes(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		GoVersion:  runtime.Version(),
		BLAS:       "gonum.org/v1/gonum/blas/gonum (pure Go with assembly kernels)",
	}
}

// cpuModel reads the first "model name" line of /proc/cpuinfo (Linux).
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(val)
		}
	}
	return "unknown"
}

// l3Bytes reads the size of cpu0's level-3 cache from sysfs (Linux), 0 if absent.
func l3Bytes() int64 {
	const dir = "/sys/devices/system/cpu/cpu0/cache/"
	for i := range 8 {
		idx := dir + "index" + strconv.Itoa(i) + "/"
		lvl, err := os.ReadFile(idx + "level")
		if err != nil || strings.TrimSpace(string(lvl)) != "3" {
			continue
		}
		b, err := os.ReadFile(idx + "size")
		if err != nil {
			return 0
		}
		return parseCacheSize(strings.TrimSpace(string(b)))
	}
	return 0
}

// parseCacheSize reads sysfs sizes such as "32768K" or "32M"; 0 if malformed.
func parseCacheSize(s string) int64 {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v * mult
}
