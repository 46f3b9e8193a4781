package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExportQueryTempIsItsOwn: an export that fails while another to the
// same path runs leaves the other's temporary file alone, and the other
// completes. The temporary name depended on the path alone: the failed
// export removed the file the running one wrote, whose rename then failed.
func TestExportQueryTempIsItsOwn(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "same.csv")
	const rows = 5_000_000
	done := make(chan error, 1)
	go func() {
		n, err := s.ExportQuery(ctx, "SELECT i FROM range(5000000) t(i)", out)
		if err == nil && n != rows {
			t.Errorf("the long export wrote %d rows, want %d", n, rows)
		}
		done <- err
	}()
	var first string
	for deadline := time.Now().Add(20 * time.Second); first == "" && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, ".same.csv*aiecon-tmp")); len(m) > 0 {
			first = m[0]
		}
	}
	if first == "" {
		t.Fatal("the long export wrote no temporary file within 20 s")
	}
	// Fails while it runs, after its COPY has started.
	_, err := s.ExportQuery(ctx, "SELECT CASE WHEN i < 10 THEN i ELSE error('boom') END AS v FROM range(100) t(i)", out)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("the failing export: %v, want its error", err)
	}
	select {
	case err := <-done:
		t.Fatalf("the long export ended before the failing one could run beside it (%v): make it longer", err)
	default:
	}
	if _, err := os.Stat(first); err != nil {
		t.Errorf("the failing export removed the running one's temporary file: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("the long export failed: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".same.csv*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() < rows {
		t.Errorf("%s: %v, want the long export's %d rows", out, err, rows)
	}
}

// TestExportQueryViaRefusesATakenTemp: a temporary file that exists is
// another export's: ExportQueryVia neither writes over it nor removes it.
func TestExportQueryViaRefusesATakenTemp(t *testing.T) {
	s, _ := openTemp(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	tmp := ExportTempPath(out)
	if other := ExportTempPath(out); other == tmp {
		t.Fatalf("two exports to %s got one temporary name %s", out, tmp)
	}
	if err := os.WriteFile(tmp, []byte("another export's"), 0o644); err != nil {
		t.Fatal(err)
	}
	// That export runs: it holds the folder, as every export does while
	// its temporary file is there (else the file is a stopped export's).
	release, _ := lockExportDir(dir, nil)
	defer release()
	_, err := s.ExportQueryVia(context.Background(), "SELECT 1 AS a", out, tmp)
	if err == nil || !strings.Contains(err.Error(), tmp) {
		t.Errorf("error %v, want a refusal naming %s", err, tmp)
	}
	if b, err := os.ReadFile(tmp); err != nil || string(b) != "another export's" {
		t.Errorf("the other export's file: %q, %v", b, err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s written: %v", out, err)
	}
}

// TestExportLeavesAnotherExportsTempAlone: a whole-run export wrote each
// table through a temporary name that depended on the table alone, so a
// second export into the same folder wrote over the first one's file, and
// the one that failed removed what the other still wrote. A file at that
// old name (another export's, in flight) is left as it was, and the
// export's own temporary files are gone once it returns.
func TestExportLeavesAnotherExportsTempAlone(t *testing.T) {
	s, _ := openTemp(t)
	id := storeRun(t, s, newSynthRun(4, 50), "export")
	dir := t.TempDir()
	other := filepath.Join(dir, ".runs.csv.aiecon-tmp")
	if err := os.WriteFile(other, []byte("another export's"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Export(context.Background(), id, "csv", dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(other); err != nil || string(b) != "another export's" {
		t.Errorf("the other export's file: %q, %v", b, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*aiecon-tmp"))
	if len(left) != 1 || left[0] != other {
		t.Errorf("temporary files left: %v, want only %s", left, other)
	}
}

// TestExportQueryNamesMissingFolder: an export into a folder that does not
// exist says so, naming the folder, not the temporary file it could not
// create (".x.csv.db86e783316f.aiecon-tmp: no such file or directory").
func TestExportQueryNamesMissingFolder(t *testing.T) {
	s, _ := openTemp(t)
	dir := filepath.Join(t.TempDir(), "missing", "dir")
	_, err := s.ExportQuery(context.Background(), "SELECT 1 AS v", filepath.Join(dir, "x.csv"))
	if err == nil || !strings.Contains(err.Error(), "the folder "+dir+" does not exist") || strings.Contains(err.Error(), "aiecon-tmp") {
		t.Errorf("export into a missing folder: %v, want it to say the folder %s does not exist", err, dir)
	}
}
