package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCalibrateImportDTypesAgree: calibrate import's help and its refusal
// of an unknown dtype list the same dtypes. The help said "fp32, bf16,
// fp16, fp8 or int8" while the refusal listed int4 too, which the import
// then refuses as weight-only.
func TestCalibrateImportDTypesAgree(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	csv := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(csv, []byte("hw,dtype,batch,m,n,k,seconds\nTrainium2,fp99,1,256,256,256,0.001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := hwRun(t, "", "calibrate", "import", csv, "--hw", "Trainium2")
	m := regexp.MustCompile(`unknown dtype "fp99" \(allowed: ([^)]*)\)`).FindStringSubmatch(errs)
	if code != exitUsage || m == nil {
		t.Fatalf("exit %d, stderr %q; want exit 2 and the allowed dtypes", code, errs)
	}
	if strings.Contains(m[1], "int4") {
		t.Errorf("the refusal offers int4, which the import refuses as weight-only: %s", m[1])
	}
	_, help, _ := hwRun(t, "", "calibrate", "import", "--help")
	if !strings.Contains(help, "dtype    one of "+m[1]+"\n") {
		t.Errorf("the help does not list the refusal's dtypes (%s):\n%s", m[1], help)
	}
}
