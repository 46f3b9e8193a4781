package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"aiecon/hw"
)

var updateDocs = flag.Bool("update", false, "rewrite the generated part of docs/hardware.md from the catalog")

// catalogMarker ends the hand-written part of docs/hardware.md; what follows
// it is `aiecon hw list --markdown`.
const catalogMarker = "`go test ./cmd/aiecon -run HardwareDoc -update` rewrites it). -->\n\n"

// TestHardwareDocIsCurrent keeps docs/hardware.md's catalog equal to the
// catalog runs use.
func TestHardwareDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "hardware.md")
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(page), catalogMarker)
	if !ok {
		t.Fatalf("%s lacks the line that starts its generated part: %q", path, catalogMarker)
	}
	code, md, errs := cli(t, filepath.Join(t.TempDir(), "none.duckdb"), "", "hw", "list", "--markdown")
	if code != 0 {
		t.Fatalf("hw list --markdown: exit %d: %s", code, errs)
	}
	want := head + catalogMarker + md
	if *updateDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(page) != want {
		t.Errorf("the catalog in %s differs from `aiecon hw list --markdown`: rewrite it with `go test ./cmd/aiecon -run HardwareDoc -update`", path)
	}
}

// privateSource matches what a reader cannot follow: the project's
// reference notes (hardware-facts.md, economics-facts.md, "facts §1a") and
// its issues ("issue 3 §1", "the issue text"). Public documents are cited
// instead: a vendor page, a repository at a commit and path, a paper. A
// public tracker's issue ("skypilot issue #4019") is a public document.
var privateSource = regexp.MustCompile(`(?i)hardware-facts|economics-facts|\.\./shared/reference|facts §|\bissue \d|issue text|aiecon issue`)

// sharedFolder is the private reference folder itself; the README may say
// that tests read trace data from ../shared/data, the pages and the catalog
// may not point a reader there.
var sharedFolder = regexp.MustCompile(`\.\./shared`)

// bareDomain matches a web site named without a page ("atom11.co
// benchmarks"): a reader who goes there finds a front page, not the figure.
// File names the project writes ("killtest.sh", "doc.go") end in no
// top-level domain listed here.
var bareDomain = regexp.MustCompile(`\b(?:[a-z0-9-]+\.)+(?:com|co|org|net|io|ai|uk|fr|app|dog|global|link|network|gov|website|br)\b(?:[^/.\w-]|\.(?:\s|$)|$)`)

// locator is a reference that leads to the document itself: a URL or a
// domain with a path, a repository reference (owner/repo with a commit, an
// issue or PR number, or a file), or a help page's number.
var locator = regexp.MustCompile(`https?://\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[\w%#?=&.~-]+|` +
	`\b[\w-]+/[\w.-]+(?:@[0-9a-f]{7,}|[^"\n]{0,40}?\bcommits? [0-9a-f]{7,}|\s+(?:issue|PR|pull request)\s+#\d+|\s+\S+\.(?:md|csv|go|rst|py|json|ya?ml)\b)|` +
	`help page \d+`)

// pageRef is what lets a reader find the page a site is cited for, next to
// the site's name: a locator, or the page's quoted title.
var pageRef = regexp.MustCompile(locator.String() + `|"[^"]{6,}"|“[^”]{6,}”`)

// noPage is the plain statement, anywhere on the line, that no page was
// found for what it cites.
var noPage = regexp.MustCompile(`no page URL|no public source found|no URL`)

// pageNear is how many characters may separate a site's name from the
// page reference that goes with it: "usage.ai (\"LLM Cost Optimization on
// AWS\", ...)" is near; a quoted figure a sentence before the site is not.
const pageNear = 30

// catalogRef is what every catalog source's description must carry: a
// locator (a title alone, as a blog post's, leads nowhere certain), the
// statement that none was found, or that the figure is aiecon's own, not a
// published one.
var catalogRef = regexp.MustCompile(locator.String() + `|` + noPage.String() + `|not a published figure`)

// unfollowable names the first site a line cites with no page reference
// near it, or "" where every site it names has one (or the line says no
// page was found).
func unfollowable(line string) string {
	if noPage.MatchString(line) {
		return ""
	}
	refs := pageRef.FindAllStringIndex(line, -1)
	for _, site := range bareDomain.FindAllStringIndex(line, -1) {
		near := false
		for _, r := range refs {
			near = near || max(r[0]-site[1], site[0]-r[1]) <= pageNear
		}
		if !near {
			return strings.TrimRight(line[site[0]:site[1]], " \t,;:)]'`.")
		}
	}
	return ""
}

// TestSourcesArePublic greps what aiecon presents as facts: every doc page,
// the README, the shipped examples, the hardware catalog's source files and
// what `hw show` prints for every chip and instance, and every command's
// help.
func TestSourcesArePublic(t *testing.T) {
	texts := map[string]string{}
	read := func(patterns ...string) {
		for _, p := range patterns {
			files, err := filepath.Glob(filepath.Join("..", "..", p))
			if err != nil || len(files) == 0 {
				t.Fatalf("no files match %s (%v)", p, err)
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				texts[strings.TrimPrefix(f, "../../")] = string(b)
			}
		}
	}
	read("docs/*.md", "README.md", "examples/*/*", "hw/catalog*.go", "hw/fact.go", "hw/pricing.go", "model/econ/*.go",
		"model/scenarios/*.yaml", "model/defaults.go", "model/scenario.go")
	db := filepath.Join(t.TempDir(), "none.duckdb")
	for _, name := range append(hw.InstanceNames(), hw.ChipNames()...) {
		code, out, errs := cli(t, db, "", "hw", "show", name)
		if code != 0 {
			t.Fatalf("hw show %s: exit %d: %s", name, code, errs)
		}
		texts["aiecon hw show "+name] = out
	}
	for _, path := range commandPaths(newRootCmd(&env{})) {
		code, out, errs := cli(t, db, "", append(path, "--help")...)
		if code != 0 {
			t.Fatalf("%v --help: exit %d: %s", path, code, errs)
		}
		texts["aiecon "+strings.Join(path, " ")+" --help"] = out
	}
	js, err := json.Marshal([]any{hw.Chips(), hw.Instances(), hw.Sources(), hw.PricingTerms()})
	if err != nil {
		t.Fatal(err)
	}
	texts["the catalog as JSON"] = string(js)
	for where, text := range texts {
		if strings.HasSuffix(where, "_test.go") {
			continue // tests may read ../shared, and name it
		}
		for i, line := range strings.Split(text, "\n") {
			bad := privateSource.FindString(line)
			if bad == "" && where != "README.md" {
				bad = sharedFolder.FindString(line)
			}
			if bad != "" {
				t.Errorf("%s:%d cites %q, which a reader cannot follow; cite the public document instead: %s", where, i+1, bad, strings.TrimSpace(line))
			}
			if site := unfollowable(line); site != "" {
				t.Errorf("%s:%d cites the site %q with no page: give its URL, the page's title or the repository path, "+
					"or say \"no page URL found\": %s", where, i+1, site, strings.TrimSpace(line))
			}
		}
	}
	for _, s := range hw.Sources() {
		if !catalogRef.MatchString(s.Description) {
			t.Errorf("catalog source %s names no document a reader can find (a URL, a title, a repository at a commit or path) "+
				"and does not say none was found: %s", s.Key, s.Description)
		}
	}
}

// commandPaths lists every command below root as its words ("hw show").
func commandPaths(root *cobra.Command) [][]string {
	var out [][]string
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		out = append(out, []string{c.Name()})
		for _, sub := range commandPaths(c) {
			out = append(out, append([]string{c.Name()}, sub...))
		}
	}
	return out
}

// A site named without its page is caught; one cited with a URL, a title,
// a repository reference, or the plain word that no page was found, is not.
func TestUnfollowableSite(t *testing.T) {
	for _, tc := range []struct {
		line, want string
	}{
		{"edata4you.com; onlyeguide.com [3P]", "edata4you.com"},
		{"(2024/25, atom11.co benchmarks)", "atom11.co"},
		{"as reported by thefreesheet.com (2026-01-19)", "thefreesheet.com"},
		{"a 2025 survey, redstagfulfillment.com.", "redstagfulfillment.com"},
		{"(atom11.co benchmarks; site only, no page URL found)", ""},
		{"nextplatform.com/2023/07/27/h100-gpu-instance-pricing-on-aws-grin-and-bear-it", ""},
		{`gpueconomics.com, "Understanding AWS Capacity Blocks for GPUs" (2025)`, ""},
		{"dihuni.com via epoch-research/training-cost-trends@263c40a1", ""},
		{"sellercentral.amazon.com help page 200336920", ""},
		{"run scripts/killtest.sh and doc.go", ""},
		{"p5 at about $57.63/h, nextplatform.com 2023-07-27, above", "nextplatform.com"},
		{`the cut ("up to 45%" on P5, also applied to Savings Plans, as usage.ai reports)`, "usage.ai"},
		{`usage.ai ("LLM Cost Optimization on AWS", updated 2026-06-30)`, ""},
		{"edata4you.com; onlyeguide.com; sites only, no page URL found", ""},
	} {
		if got := unfollowable(tc.line); got != tc.want {
			t.Errorf("unfollowable(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// A catalog source needs a locator or the word that there is none: the
// blog post GPUK was once cited by title and date alone.
func TestCatalogSourceRef(t *testing.T) {
	for _, tc := range []struct {
		desc string
		ok   bool
	}{
		{`blog post "GPU & Network Constants" (2026-01-25) [3P]`, false},
		{`gpueconomics.com, "Understanding AWS Capacity Blocks for GPUs" (2025) [3P]`, false},
		{`blog post "GPU & Network Constants" (2026-01-25) [3P]; no URL or author was recorded`, true},
		{"aws-neuron/aws-neuron-sdk GitHub repo, snapshot commit 81ce03ae (latest commit 2026-08-21)", true},
		{"epoch-research/training-cost-trends@263c40a1 data/Chip dataset-Grid view.csv", true},
		{"aws.amazon.com/savingsplans/faqs: Savings Plans discounts", true},
		{"aiecon's own estimate or modelling choice, not a published figure", true},
	} {
		if got := catalogRef.MatchString(tc.desc); got != tc.ok {
			t.Errorf("catalogRef.MatchString(%q) = %v, want %v", tc.desc, got, tc.ok)
		}
	}
}

// The patterns must catch what the catalog used to cite and let public
// trackers' issues through, or the test above proves nothing.
func TestPrivateSourcePattern(t *testing.T) {
	for _, tc := range []struct {
		text string
		bad  bool
	}{
		{"NSDK trainium2.rst (facts §1a)", true},
		{"not given in hardware-facts.md", true},
		{"the aiecon issue text (issue 3 §1)", true},
		{"see economics-facts.md §1b", true},
		{"read ../shared/reference/serving-measurements", true},
		{"skypilot-org/skypilot issue #4019 (2024-09-28)", false},
		{"dstackai/dstack PR #4110", false},
		{"NSDK about-neuron/arch/neuron-hardware/trainium2.rst", false},
	} {
		if got := privateSource.MatchString(tc.text); got != tc.bad {
			t.Errorf("privateSource.MatchString(%q) = %v, want %v", tc.text, got, tc.bad)
		}
	}
}
