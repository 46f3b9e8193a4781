package hw

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"aiecon/model/format"
)

// ProfileDirEnv names the environment variable with which the CLI chooses its
// configuration directory (tests set it to a temporary directory). Package hw
// never reads it: callers resolve the directory once and pass it in.
const ProfileDirEnv = "AIECON_CONFIG_DIR"

// ProfileDir is where profiles are saved and looked up for a configuration
// directory: configDir/calibration, or os.UserConfigDir()/aiecon/calibration
// when configDir is "".
func ProfileDir(configDir string) (string, error) {
	if configDir != "" {
		return filepath.Join(configDir, "calibration"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("locate the calibration directory (set %s to choose one): %w", ProfileDirEnv, err)
	}
	return filepath.Join(d, "aiecon", "calibration"), nil
}

// profileFilePattern matches saved profiles; their names sort by creation time.
const profileFilePattern = "profile-*.json"

// SaveProfile validates p and writes it to dir as profile-<created, UTC>.json,
// creating dir if needed. The file is written to a temporary name and renamed,
// so a reader never sees half a profile. It returns the path.
func SaveProfile(dir string, p *Profile) (string, error) {
	if err := p.Validate(); err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	name := "profile-" + p.Created.UTC().Format("20060102T150405.000000000Z") + ".json"
	path := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".profile-*.tmp")
	if err != nil {
		return "", fmt.Errorf("save profile: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	perr := os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600; a profile is not a secret
	if err := errors.Join(werr, cerr, perr); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("save profile %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("save profile %s: %w", path, err)
	}
	return path, nil
}

// ErrNoProfile is returned by LoadNewestProfile when dir holds no profile.
var ErrNoProfile = errors.New("no calibration profile")

// LoadProfile reads and validates one profile file.
func LoadProfile(path string) (*Profile, error) {
	p, _, err := LoadProfileDigest(path)
	return p, err
}

// LoadProfileDigest is LoadProfile that also returns ProfileDigest of the
// bytes it decoded: a file can be replaced at its path, so a run records
// which one priced it.
func LoadProfileDigest(path string) (*Profile, string, error) {
	data, err := readProfileFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("load profile: %w", err)
	}
	p, err := decodeProfileAt(path, data)
	if err != nil {
		return nil, "", err
	}
	return p, ProfileDigest(data), nil
}

// ProfileFileDigest is ProfileDigest of the file at path as it is now.
func ProfileFileDigest(path string) (string, error) {
	data, err := readProfileFile(path)
	if err != nil {
		return "", err
	}
	return ProfileDigest(data), nil
}

// ProfileDigest is the hex SHA-256 of a profile file's bytes.
func ProfileDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// decodeProfileAt decodes a profile read from path, its errors placed there.
func decodeProfileAt(path string, data []byte) (*Profile, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		// The JSON decoder said only "EOF" of it.
		return nil, fmt.Errorf("load profile %s: the file is empty; a calibration profile is a file that aiecon calibrate saved", path)
	}
	p, err := DecodeProfile(data)
	if pe, ok := errors.AsType[*ProfilePlaceError](err); ok {
		// Placed as the scenario and CSV readers place theirs.
		return nil, fmt.Errorf("load profile %s:%d:%d: %w", path, pe.Line, pe.Col, errors.New(pe.Msg))
	}
	if err != nil {
		return nil, fmt.Errorf("load profile %s: %w", path, err)
	}
	return p, nil
}

// LoadNewestProfile loads the newest profile in dir (by file name, which
// encodes the creation time). It returns ErrNoProfile (wrapped, naming dir)
// when there is none, and an error naming the file when the newest is broken:
// silently falling back to an older profile would hide the problem.
func LoadNewestProfile(dir string) (*Profile, string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, profileFilePattern))
	if err != nil {
		return nil, "", fmt.Errorf("list profiles in %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, "", fmt.Errorf("%w in %s", ErrNoProfile, dir)
	}
	newest := paths[len(paths)-1] // Glob sorts
	p, err := LoadProfile(newest)
	if err != nil {
		return nil, "", err
	}
	return p, newest, nil
}

// NewestProfileOrBuiltin is the newest profile in dir, else the built-in one,
// with where it came from ("built-in" or the file path). Calibration commands
// build on it; runs use the built-in profile unless told otherwise.
func NewestProfileOrBuiltin(dir string) (*Profile, string, error) {
	p, path, err := LoadNewestProfile(dir)
	if err == nil {
		return p, path, nil
	}
	if !errors.Is(err, ErrNoProfile) {
		return nil, "", err
	}
	if p, err = BuiltinProfile(); err != nil {
		return nil, "", err
	}
	return p, BuiltinProfileSource, nil
}

// maxProfileBytes bounds a profile file read whole (as calibrate import
// bounds its timings): a real profile is a few kilobytes.
const maxProfileBytes = 16 << 20

// readProfileFile reads the profile at path whole. A folder, or a file that
// is not a regular file, is refused before it is opened: opening a named
// pipe waited for a writer forever, past the first SIGTERM, and a profile
// is read more than once (checked where --calibration is resolved, then
// loaded by the run and digested), which a pipe could give only once.
func readProfileFile(path string) ([]byte, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		// The read said "read PATH: is a directory", after load profile's own words.
		return nil, fmt.Errorf("%s is a folder, not a file; a calibration profile is a file that aiecon calibrate saved", path)
	} else if err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is a %s, not a regular file; a calibration profile is a file that aiecon calibrate saved", path, format.FileKind(fi.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(BoundedReader(f, maxProfileBytes, path+" is not a calibration profile"))
}

// NewestFitProfile is the profile `--calibration latest` takes: the newest
// in dir whose float32 host fit is within PoorFitMAPE, with the newer ones
// it passed over for their fit, each named with its error (newest first).
// It returns ErrNoProfile (wrapped, naming dir) when dir holds none, an
// error naming the file when one it reads is broken (as LoadNewestProfile),
// and one naming every profile with its error where all are poorly fitted: the
// built-in profile is not a saved one, and falling back to it silently would
// hide that the user's calibrations all failed.
func NewestFitProfile(dir string) (p *Profile, path string, passed []string, err error) {
	paths, err := filepath.Glob(filepath.Join(dir, profileFilePattern))
	if err != nil {
		return nil, "", nil, fmt.Errorf("list profiles in %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, "", nil, fmt.Errorf("%w in %s", ErrNoProfile, dir)
	}
	for i := len(paths) - 1; i >= 0; i-- { // Glob sorts; names encode the creation time
		if p, err = LoadProfile(paths[i]); err != nil {
			return nil, "", nil, err
		}
		if e := p.PoorFit(); e > 0 {
			passed = append(passed, fmt.Sprintf("%s (held-out MAPE %.0f%%)", paths[i], 100*e))
			continue
		}
		return p, paths[i], passed, nil
	}
	return nil, "", nil, fmt.Errorf("%w: every calibration profile in %s misses its held-out shapes by more than %.0f%%, the most --calibration latest accepts (newest first: %s); "+
		"rerun aiecon calibrate on a quieter machine, or name a profile file to use it anyway", ErrPoorFit, dir, 100*PoorFitMAPE, strings.Join(passed, ", "))
}

// ErrPoorFit is returned by NewestFitProfile when every profile is poorly
// fitted.
var ErrPoorFit = errors.New("no well-fitted calibration profile")
