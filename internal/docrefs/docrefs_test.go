package docrefs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// page is one doc page's headings, as written and as GitHub anchors, and
// the bold leads that name a part of a section.
type page struct {
	titles  map[string]bool
	anchors map[string]bool
	leads   map[string]bool
}

// The ways a reference is written. page matches the file ("model" for
// docs/model.md); what follows it, where anything, names the section.
var (
	pageRef = regexp.MustCompile(`docs/([A-Za-z0-9_-]+)\.md`)
	// docs/forecast.md#the-file
	anchorRef = regexp.MustCompile(`docs/([A-Za-z0-9_-]+)\.md#([A-Za-z0-9_-]+)`)
	// docs/model.md, "Prices", docs/forecast.md's "The file" and
	// docs/model.md ("Prices"); also docs/schema.md, `run_summary`.
	quotedRef = regexp.MustCompile("docs/([A-Za-z0-9_-]+)\\.md(?:,|'s| \\() *(?:\"([^\"]+)\"|“([^”]+)”|`([^`]+)`)")
	// docs/model.md, Prices: an unquoted name starts with a capital and
	// runs to the next punctuation; a heading must begin it. A lower-case
	// word after the comma is prose ("docs/calibration.md, fitted with").
	bareRef = regexp.MustCompile(`docs/([A-Za-z0-9_-]+)\.md, ([A-Z][^,.;:()"|\x60]*)`)
	// docs/sweeps.md's Damaged stores section, and in prose its damaged
	// stores section: either claims a heading, whatever its case.
	sectionRef = regexp.MustCompile(`docs/([A-Za-z0-9_-]+)\.md's ([A-Za-z][^,.;:()"|\x60]{0,80}?) section\b`)
	// [text](#the-file): a link to a heading of the page it is on.
	selfLinkRef = regexp.MustCompile(`\]\(#([A-Za-z0-9_-]+)\)`)
	// [text](model.md#prices) in a doc page, [text](docs/forecast.md#the-file)
	// in the README.
	linkRef = regexp.MustCompile(`\]\(((?:\.\./)?(?:docs/)?([A-Za-z0-9_-]+)\.md)(?:#([A-Za-z0-9_-]+))?\)`)
)

// TestDocReferencesResolve reads every Go file, doc page, example and CLI
// script of the repository, joined across line breaks (a reference often
// wraps in a comment), and checks each reference to a doc page.
func TestDocReferencesResolve(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	pages := readPages(t, filepath.Join(root, "docs"))
	checked := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			if path == filepath.Join(root, "internal", "docrefs") {
				return filepath.SkipDir // this test's cases name pages that do not exist
			}
			return nil
		}
		ext := filepath.Ext(path)
		if ext != ".go" && ext != ".md" && ext != ".yaml" && ext != ".txtar" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
		rel, _ := filepath.Rel(root, path)
		var self page // a page's own headings, for its links to them
		if ext == ".md" {
			self = headings(string(b))
		}
		for _, problem := range checkText(joinLines(string(b), ext), rel, pages, self) {
			t.Errorf("%s: %s", rel, problem)
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("read %d files under %s; the walk missed the repository", checked, root)
	}
}

// checkText returns what does not resolve among the references in text, a
// file at rel (relative to the repository root) whose own headings, where
// it is a Markdown page, are self.
func checkText(text, rel string, pages map[string]page, self page) []string {
	var problems []string
	missing := func(name string) bool {
		if _, ok := pages[name]; ok {
			return false
		}
		problems = append(problems, fmt.Sprintf("docs/%s.md does not exist", name))
		return true
	}
	for _, m := range pageRef.FindAllStringSubmatch(text, -1) {
		missing(m[1])
	}
	for _, m := range anchorRef.FindAllStringSubmatch(text, -1) {
		if p, ok := pages[m[1]]; ok && !p.anchors[m[2]] {
			problems = append(problems, fmt.Sprintf("docs/%s.md has no heading whose anchor is #%s", m[1], m[2]))
		}
	}
	for _, m := range quotedRef.FindAllStringSubmatch(text, -1) {
		name := m[2] + m[3] + m[4]
		if p, ok := pages[m[1]]; ok && !p.titles[plain(name)] && !p.leads[plain(name)] {
			problems = append(problems, fmt.Sprintf("docs/%s.md has no heading %q", m[1], name))
		}
	}
	for _, m := range bareRef.FindAllStringSubmatch(text, -1) {
		if p, ok := pages[m[1]]; ok && !p.begins(strings.TrimSpace(m[2]), true) {
			problems = append(problems, fmt.Sprintf("docs/%s.md has no heading that begins %q", m[1], strings.TrimSpace(m[2])))
		}
	}
	// A bold lead is a part of a section, not one: "the Freshness
	// section" of a page whose Freshness is a list item's lead sends the
	// reader looking for a heading that is not there.
	for _, m := range sectionRef.FindAllStringSubmatch(text, -1) {
		if p, ok := pages[m[1]]; ok && !p.begins(strings.TrimSpace(m[2]), false) {
			problems = append(problems, fmt.Sprintf("docs/%s.md has no section heading that begins %q", m[1], strings.TrimSpace(m[2])))
		}
	}
	if filepath.Ext(rel) != ".md" {
		return problems
	}
	for _, m := range selfLinkRef.FindAllStringSubmatch(text, -1) {
		if !self.anchors[m[1]] {
			problems = append(problems, fmt.Sprintf("%s has no heading whose anchor is #%s (linked as %s)", rel, m[1], m[0]))
		}
	}
	for _, m := range linkRef.FindAllStringSubmatch(text, -1) {
		target := filepath.Join(filepath.Dir(rel), m[1])
		if filepath.Dir(target) != "docs" {
			continue // a README beside an example, say; not a doc page
		}
		if !missing(m[2]) && m[3] != "" && !pages[m[2]].anchors[m[3]] {
			problems = append(problems, fmt.Sprintf("docs/%s.md has no heading whose anchor is #%s (linked as %s)", m[2], m[3], m[0]))
		}
	}
	return problems
}

// begins reports whether a heading of p (or its short title, the words
// before a colon: "Fleets" for "Fleets: owned or rented"), or with leads
// a bold lead of p, is the whole of words or their first words. Case is
// ignored where words begin in lower case, as prose writes a section's
// name ("its damaged stores section").
func (p page) begins(words string, leads bool) bool {
	words = plain(words)
	lower := words != "" && words[0] >= 'a' && words[0] <= 'z'
	match := func(title string) bool {
		if lower {
			title, words := strings.ToLower(title), strings.ToLower(words)
			return words == title || strings.HasPrefix(words, title+" ")
		}
		return words == title || strings.HasPrefix(words, title+" ")
	}
	for title := range p.titles {
		if match(title) {
			return true
		}
	}
	for lead := range p.leads {
		if leads && match(lead) {
			return true
		}
	}
	return false
}

// joinLines puts a reference that wraps across lines back on one: a Go
// comment's or a YAML comment's marker at the start of the next line goes,
// and so do a Go string's escaped quotes and a `" +` concatenation.
func joinLines(text, ext string) string {
	switch ext {
	case ".go":
		text = regexp.MustCompile(`"\s*\+\s*"`).ReplaceAllString(text, "")
		text = strings.ReplaceAll(text, `\"`, `"`)
		text = strings.ReplaceAll(text, `\n`, " ")
		return regexp.MustCompile(`\n\s*(//)?\s*`).ReplaceAllString(text, " ")
	case ".yaml":
		return regexp.MustCompile(`\n\s*(#)?\s*`).ReplaceAllString(text, " ")
	}
	return regexp.MustCompile(`\n\s*`).ReplaceAllString(text, " ")
}

// readPages reads the headings of every page in dir, outside code blocks
// (a shell script's #!/bin/bash is no heading).
func readPages(t *testing.T, dir string) map[string]page {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no doc pages in %s (%v)", dir, err)
	}
	pages := map[string]page{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[strings.TrimSuffix(filepath.Base(f), ".md")] = headings(string(b))
	}
	return pages
}

// headings lists a page's section titles, each also by its short title
// (before a colon), and the anchors GitHub gives them. The pages also name
// a part of a section by a bold lead, "**Revenue ceiling** (...) is" or
// "- **Freshness**: ...", at the start of a paragraph or list item; those
// are titles a reference may cite, without an anchor.
func headings(text string) page {
	p := page{titles: map[string]bool{}, anchors: map[string]bool{}, leads: map[string]bool{}}
	add := func(to map[string]bool, title string) {
		title = strings.TrimRight(plain(title), ".:")
		to[title] = true
		if short, _, ok := strings.Cut(title, ":"); ok {
			to[short] = true
		}
	}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if fenced {
			continue
		}
		if m := boldLead.FindStringSubmatch(line); m != nil {
			add(p.leads, m[1])
		}
		title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if !strings.HasPrefix(line, "#") || !ok {
			continue
		}
		title = plain(title)
		add(p.titles, title)
		a := anchor(title)
		for n := 1; p.anchors[a]; n++ {
			a = fmt.Sprintf("%s-%d", anchor(title), n)
		}
		p.anchors[a] = true
	}
	return p
}

// boldLead is a paragraph's or a list item's bold first words.
var boldLead = regexp.MustCompile(`^\s*(?:[-*] |\d+\. )?\*\*([^*]+)\*\*`)

// plain drops a title's backquotes and outer spaces, so `run_summary` and
// run_summary are the same name.
func plain(title string) string {
	return strings.TrimSpace(strings.ReplaceAll(title, "`", ""))
}

// anchor is GitHub's anchor for a heading: lower case, spaces to hyphens,
// punctuation other than hyphens and underscores dropped.
func anchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The checker must catch what it exists for, and let prose through, or the
// test above proves nothing.
func TestCheckText(t *testing.T) {
	pages := map[string]page{
		"model": headings("# Model\n\n## Prices\n\n```sh\n# Not a heading\n```\n\n### Prefix cache and routing\n\n" +
			"**Revenue ceiling** (`x`) is\n\n- **Freshness**: click-through\n\n**Neuron is not padded.** N and K\n"),
		"forecast": headings("## Fleets: owned or rented\n\n## The file\n"),
		"schema":   headings("### `run_summary`\n"),
	}
	for _, tc := range []struct {
		text, rel string
		bad       int
	}{
		{`see docs/model.md, "Prices".`, "a.go", 0},
		{`see docs/model.md, Prices: the table`, "a.go", 0},
		{`docs/model.md, Prefix cache and routing, says how`, "a.go", 0},
		{`docs/forecast.md, Fleets, explains`, "a.go", 0},
		{`docs/forecast.md's "The file" tabulates`, "a.go", 0},
		{`docs/model.md ("Prices") explains`, "a.go", 0},
		{`docs/model.md ("Pricing") explains`, "a.go", 1},
		{`docs/forecast.md#fleets-owned-or-rented`, "a.go", 0},
		{"docs/schema.md, `run_summary`", "a.go", 0},
		{`docs/model.md's Prices section says`, "a.go", 0},
		{`docs/model.md, fitted with the built-in rows`, "a.go", 0},
		{`[the file](forecast.md#the-file)`, "docs/sweeps.md", 0},
		{`[the file](docs/forecast.md#the-file)`, "README.md", 0},
		{`see docs/model.md, "Freshness".`, "a.go", 0},
		{`docs/model.md, "Revenue ceiling"`, "a.go", 0},
		{`docs/model.md, "Neuron is not padded"`, "a.go", 0},
		{`see docs/model.md, "Staleness".`, "a.go", 1},
		{`docs/model.md#freshness`, "a.go", 1},
		{`see docs/model.md, Revenue lost to latency.`, "a.go", 1},
		{`docs/model.md, "Not a heading"`, "a.go", 1},
		{`docs/forecast.md#the-files`, "a.go", 1},
		{`docs/money.md explains`, "a.go", 1},
		{`docs/model.md's Served interval section`, "a.go", 1},
		{`[the file](forecast.md#files)`, "docs/sweeps.md", 1},
		{`[money](money.md)`, "docs/sweeps.md", 1},
		// A bold lead may be cited by name, but is no section.
		{`docs/model.md's Freshness section`, "a.go", 1},
		{`docs/model.md's Prefix cache and routing section`, "a.go", 0},
		// Prose writes a section's name in lower case.
		{`docs/model.md's prefix cache and routing section`, "a.go", 0},
		{`docs/model.md's prefix caching section`, "a.go", 1},
		{`docs/model.md's freshness section`, "a.go", 1},
		// A link to a heading of the page it is on.
		{"## The file\n\nsee [the file](#the-file)", "docs/sweeps.md", 0},
		{"## The file\n\nsee [the file](#the-files)", "docs/sweeps.md", 1},
	} {
		got := checkText(joinLines(tc.text, filepath.Ext(tc.rel)), tc.rel, pages, headings(tc.text))
		if len(got) != tc.bad {
			t.Errorf("checkText(%q) = %q, want %d problems", tc.text, got, tc.bad)
		}
	}
}

// A wrapped reference resolves as one.
func TestJoinLines(t *testing.T) {
	pages := map[string]page{"calibration": headings("### How a measurement is predicted\n")}
	for _, tc := range []struct{ text, ext string }{
		{"// docs/calibration.md, \"How a\n\t// measurement is predicted\", says", ".go"},
		{"\"docs/calibration.md, \" +\n\t\t\"\\\"How a measurement is predicted\\\"\"", ".go"},
		{"# docs/calibration.md, \"How a\n  # measurement is predicted\"", ".yaml"},
		{"docs/calibration.md, \"How a\nmeasurement is predicted\"", ".md"},
	} {
		if got := checkText(joinLines(tc.text, tc.ext), "a"+tc.ext, pages, page{}); len(got) != 0 {
			t.Errorf("joined %q: %q", tc.text, got)
		}
	}
}
