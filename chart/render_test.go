package chart

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model/kpi"
)

// paletteShare is the share of the pixels of an image's left 88% drawn in
// palette colour i: the data area, not the legend column on the right (its
// line samples start past 90% of a 640-pixel chart). A crop at 60% missed
// a latency CDF whose data sit in the upper half of an axis from 0.
func paletteShare(img image.Image, i int) float64 {
	want := color.RGBAModel.Convert(palette[i]).(color.RGBA)
	b := img.Bounds()
	b.Max.X = b.Min.X + b.Dx()*88/100
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) == want {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

// nonWhiteShare is the share of pixels that are not the white background.
func nonWhiteShare(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

func encodePNG(t *testing.T, c *Chart) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Encode(&buf, PNG); err != nil {
		t.Fatalf("encoding PNG: %v", err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	return img
}

// svgRoot checks the SVG is well-formed XML and returns its root's width,
// height and all its text content.
func svgRoot(t *testing.T, c *Chart) (width, height, texts string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Encode(&buf, SVG); err != nil {
		t.Fatalf("encoding SVG: %v", err)
	}
	dec := xml.NewDecoder(&buf)
	var sb strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if el.Name.Local != "svg" {
					t.Fatalf("root element is <%s>, want <svg>", el.Name.Local)
				}
				for _, a := range el.Attr {
					switch a.Name.Local {
					case "width":
						width = a.Value
					case "height":
						height = a.Value
					}
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			sb.Write(el)
			sb.WriteByte('\n')
		}
	}
	return width, height, sb.String()
}

// Every kind renders one run as a PNG and an SVG of the requested size, with
// its data drawn (pixels in the first palette colour) and its title.
func TestEveryKindRendersPNGAndSVG(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	const w, h = 640, 400
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			c, err := Render(ctx, f.store, k.Name, []string{f.base}, Options{WidthPx: w, HeightPx: h})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			img := encodePNG(t, c)
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
			}
			if s := nonWhiteShare(img); s < 0.02 {
				t.Errorf("only %.2f%% of the PNG is not background", 100*s)
			}
			if s := paletteShare(img, 0); s < 0.0003 {
				t.Errorf("only %.3f%% of the PNG is in the first series colour: no data drawn?", 100*s)
			}
			sw, sh, texts := svgRoot(t, c)
			if sw != "640px" || sh != "400px" {
				t.Errorf("SVG root is width=%q height=%q, want 640px and 400px", sw, sh)
			}
			for _, want := range []string{f.base, "scenario baseline"} {
				if !strings.Contains(texts, want) {
					t.Errorf("SVG text lacks %q (title or subtitle):\n%s", want, texts)
				}
			}
			for i, labels := range c.Legends() {
				if len(labels) == 0 {
					t.Errorf("panel %d has no legend", i)
				}
			}
		})
	}
}

// Overlaying two runs draws each in its own colour with legend entries
// naming the run.
func TestCompareOverlaysRuns(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	ids := []string{f.base, f.light}
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			c, err := Render(ctx, f.store, k.Name, ids, Options{})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			img := encodePNG(t, c)
			if b := img.Bounds(); b.Dx() != DefaultWidthPx || b.Dy() != DefaultHeightPx {
				t.Errorf("PNG is %dx%d, want the default %dx%d", b.Dx(), b.Dy(), DefaultWidthPx, DefaultHeightPx)
			}
			for i := range ids {
				if s := paletteShare(img, i); s < 0.0003 {
					t.Errorf("run %d: only %.3f%% of the PNG in its colour", i, 100*s)
				}
			}
			for pi, labels := range c.Legends() {
				var perRun [2]int
				for _, l := range labels {
					for i, id := range ids {
						if strings.Contains(l, id[:minShortID]) {
							perRun[i]++
						}
					}
				}
				if perRun[0] == 0 || perRun[0] != perRun[1] || perRun[0]+perRun[1] != len(labels) {
					t.Errorf("panel %d legend %q: want the same entries for each run, each naming its run", pi, labels)
				}
			}
			if !strings.Contains(c.Title, "base vs ") || !strings.Contains(c.Title, " light") {
				t.Errorf("title %q does not name both runs", c.Title)
			}
		})
	}
}

// Overlaid sweep points, whose names are too long for the legend column and
// differ only at their end, keep legend texts that tell every entry apart:
// cut from the end, one run's TTFT p50 and p99 read the same.
func TestShortenedLegendsStayDistinct(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		kind string
		w, h int
	}{
		{"latency-time", DefaultWidthPx, DefaultHeightPx},
		{"latency-time", 300, 500},
		{"latency-cdf", DefaultWidthPx, DefaultHeightPx},
		{"throughput", DefaultWidthPx, DefaultHeightPx},
		{"cost-per-mtok", DefaultWidthPx, DefaultHeightPx},
	} {
		c, err := Render(ctx, f.store, tc.kind, []string{f.pointA, f.pointB}, Options{WidthPx: tc.w, HeightPx: tc.h})
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		_, _, texts := svgRoot(t, c)
		drawn := slices.Compact(slices.Sorted(slices.Values(strings.Split(texts, "\n"))))
		shortened := false
		for pi, labels := range c.Legends() {
			for _, l := range labels {
				n := 0
				for _, d := range drawn {
					if !fitOf(d, l) {
						continue
					}
					n++
					shortened = shortened || d != l
					for _, other := range labels {
						if other != l && fitOf(d, other) {
							t.Errorf("%s %dx%d panel %d: legend text %q stands for %q and for %q", tc.kind, tc.w, tc.h, pi, d, l, other)
						}
					}
				}
				if n == 0 {
					t.Errorf("%s %dx%d panel %d: legend entry %q not drawn", tc.kind, tc.w, tc.h, pi, l)
				}
			}
		}
		if !shortened {
			t.Errorf("%s %dx%d: no legend entry shortened; the test needs longer names", tc.kind, tc.w, tc.h)
		}
	}
}

// fitOf reports whether drawn text d is label l, whole or shortened with an
// ellipsis.
func fitOf(d, l string) bool {
	pre, post, cut := strings.Cut(d, "…")
	if !cut {
		return d == l
	}
	return len(pre)+len(post) < len(l) && strings.HasPrefix(l, pre) && strings.HasSuffix(l, post)
}

// A run that stored half of its requests says so.
func TestSampledRequestsAreNoted(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	c, err := Render(ctx, f.store, "ttft-cdf", []string{f.light}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Subtitle, "requests sampled at 50%") {
		t.Errorf("subtitle %q does not state the sample rate", c.Subtitle)
	}
	c, err = Render(ctx, f.store, "ttft-cdf", []string{f.base, f.light}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	legend := c.Legends()[0]
	if len(legend) != 2 || strings.Contains(legend[0], "sampled") || !strings.HasSuffix(legend[1], "(sampled at 50%)") {
		t.Errorf("legend %q: want only the sampled run marked", legend)
	}
}

// The CDF's median is the run's median KPI: the chart asks DuckDB for the
// right latency of the right requests. The simulator's percentiles come from
// a DDSketch with 0.5% relative accuracy, so the KPI must lie between the
// two grid quantiles around 0.5, widened by 0.6%.
func TestCDFMatchesKPIMedians(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	d, err := f.store.Run(ctx, f.base)
	if err != nil {
		t.Fatal(err)
	}
	kpi := map[string]float64{}
	for _, k := range d.KPIs {
		if k.Scope == "" {
			kpi[k.Name] = k.Value
		}
	}
	lo, hi := cdfPoints/2-1, cdfPoints/2 // probabilities 99/199 and 100/199
	for _, m := range []cdfMetric{ttftMetric, tpotMetric, e2eMetric, queueMetric} {
		qs, err := f.store.Quantiles(ctx, f.base, m.metric, cdfProbs)
		if err != nil {
			t.Fatal(err)
		}
		p50 := kpi[m.metric+"_p50_s"]
		if !(p50 >= qs[lo]*(1-0.006) && p50 <= qs[hi]*(1+0.006)) {
			t.Errorf("%s: KPI median %.6g s outside the CDF's [%.6g, %.6g] s around 0.5", m.metric, p50, qs[lo], qs[hi])
		}
	}
}

func TestRenderErrors(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	tooMany := make([]string, MaxRuns+1)
	for i := range tooMany {
		tooMany[i] = f.base
	}
	for _, tc := range []struct {
		name   string
		kind   string
		ids    []string
		opts   Options
		is     error
		inText []string
	}{
		{"unknown kind", "pie", []string{f.base}, Options{}, ErrUnknownKind, []string{`"pie"`, "latency-cdf", "revenue-cost"}},
		{"width too small", "throughput", []string{f.base}, Options{WidthPx: 99, HeightPx: 500}, ErrBadSize, []string{"width 99 px", "100 to 8000"}},
		{"height too large", "throughput", []string{f.base}, Options{WidthPx: 800, HeightPx: 8001}, ErrBadSize, []string{"height 8001 px"}},
		{"only a width", "throughput", []string{f.base}, Options{WidthPx: 800}, ErrBadSize, []string{"height 0 px"}},
		{"no run", "throughput", nil, Options{}, ErrBadRuns, []string{"no run given"}},
		{"run twice", "throughput", []string{f.base, f.base}, Options{}, ErrBadRuns, []string{f.base + " given twice"}},
		{"too many runs", "throughput", tooMany, Options{}, ErrBadRuns, []string{"at most 7"}},
		{"unknown run", "throughput", []string{"0000000000zzzzz"}, Options{}, data.ErrRunNotFound, []string{"0000000000zzzzz"}},
		{"no requests for a CDF", "latency-cdf", []string{f.noRequests}, Options{}, ErrNoRequests, []string{f.noRequests, "stored no requests", "request_sample_rate", "latency-time"}},
		{"no requests in an overlay", "e2e-cdf", []string{f.base, f.noRequests}, Options{}, ErrNoRequests, []string{f.noRequests}},
		// A run in which nothing arrived: the sample rate is beside the
		// point, and an empty bar chart read as $0/Mtok.
		{"none arrived for a CDF", "latency-cdf", []string{f.noneArrived}, Options{}, ErrNoRequests,
			[]string{f.noneArrived + ": no request arrived in its 20s simulated (requests_arrived 0), so there is no time to first token or"}},
		{"none arrived for cost per Mtok", "cost-per-mtok", []string{f.noneArrived}, Options{}, ErrNoData,
			[]string{f.noneArrived + ": no request arrived in its 20s simulated (requests_arrived 0), so it has no cost per million tokens to plot"}},
		{"none arrived in a cost overlay", "cost-per-mtok", []string{f.base, f.noneArrived}, Options{}, ErrNoData, []string{f.noneArrived}},
		{"none arrived for latency over time", "latency-time", []string{f.noneArrived}, Options{}, ErrNoData,
			[]string{f.noneArrived + ": no request arrived in its 20s simulated (requests_arrived 0), so no window has a value to plot"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Render(ctx, f.store, tc.kind, tc.ids, tc.opts)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			for _, s := range tc.inText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
	// Charts from the windows and KPIs still work for a run without requests.
	for _, k := range []string{"throughput", "latency-time", "revenue-cost", "cost-per-mtok"} {
		if _, err := Render(ctx, f.store, k, []string{f.noRequests}, Options{}); err != nil {
			t.Errorf("%s of a run without stored requests: %v", k, err)
		}
	}
	// Beside a run with latencies, one without is drawn, marked (no data).
	if _, err := Render(ctx, f.store, "latency-time", []string{f.base, f.noneArrived}, Options{}); err != nil {
		t.Errorf("latency over time of a run with latencies and one without: %v", err)
	}
	// A run whose requests arrived but none was billed says so.
	unbilled := &run{id: "x", status: data.StatusComplete, stored: 7, sampleRate: 1,
		kpis: map[string]float64{kpi.RequestsArrived: 1000, kpi.RequestsCompleted: 0}}
	if err := noCostPerMTok(unbilled); !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "run x billed no token (1,000 requests arrived, 0 completed)") {
		t.Errorf("a run that billed no token: %v", err)
	}
}

// queueChart is a small chart of the test store's base run, to save.
func queueChart(t *testing.T) *Chart {
	t.Helper()
	f := testStore(t)
	c, err := Render(context.Background(), f.store, "queue", []string{f.base}, Options{WidthPx: 300, HeightPx: 200})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSave(t *testing.T) {
	c := queueChart(t)
	dir := t.TempDir()
	for _, name := range []string{"q.png", "Q.PNG", "q.svg"} {
		path := filepath.Join(dir, name)
		if err := c.Save(path); err != nil {
			t.Fatalf("Save(%s): %v", name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(strings.ToLower(name), ".png") {
			cfg, err := png.DecodeConfig(bytes.NewReader(b))
			if err != nil || cfg.Width != 300 || cfg.Height != 200 {
				t.Errorf("%s: PNG config %+v, %v; want 300x200", name, cfg, err)
			}
		} else if !bytes.Contains(b, []byte(`<svg width="300px" height="200px"`)) {
			t.Errorf("%s does not start as a 300x200 px SVG: %.200s", name, b)
		}
	}
	for _, tc := range []struct {
		path string
		is   error
		text string
	}{
		{filepath.Join(dir, "q.jpg"), ErrFormat, `".jpg"`},
		{filepath.Join(dir, "q"), ErrFormat, "no extension"},
		{filepath.Join(dir, "missing", "q.png"), nil, filepath.Join(dir, "missing", "q.png")},
	} {
		err := c.Save(tc.path)
		if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) || !strings.Contains(err.Error(), tc.text) || strings.Contains(err.Error(), ".tmp") {
			t.Errorf("Save(%s) = %v, want an error mentioning %s (and no temporary file)", tc.path, err, tc.text)
		}
		if _, statErr := os.Stat(tc.path); statErr == nil {
			t.Errorf("Save(%s) failed but left a file", tc.path)
		}
	}
}

// Sizes at both ends of the allowed range render without trouble.
func TestExtremeSizes(t *testing.T) {
	f := testStore(t)
	ctx := context.Background()
	for _, sz := range [][2]int{{MinSizePx, MinSizePx}, {MaxSizePx, MinSizePx}, {MinSizePx, 2000}} {
		c, err := Render(ctx, f.store, "latency-time", []string{f.base, f.light}, Options{WidthPx: sz[0], HeightPx: sz[1]})
		if err != nil {
			t.Fatal(err)
		}
		img := encodePNG(t, c)
		if b := img.Bounds(); b.Dx() != sz[0] || b.Dy() != sz[1] {
			t.Errorf("PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), sz[0], sz[1])
		}
	}
}

func TestKindsDescribed(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		if k.Name == "" || k.Description == "" || strings.Contains(k.Description, "\n") {
			t.Errorf("kind %+v: want a name and a one-line description", k)
		}
		if seen[k.Name] {
			t.Errorf("kind %s listed twice", k.Name)
		}
		seen[k.Name] = true
		if err := CheckKind(k.Name); err != nil {
			t.Error(err)
		}
	}
	for _, want := range []string{"latency-cdf", "throughput", "queue", "utilization", "revenue-cost", "cost-per-mtok"} {
		if !seen[want] {
			t.Errorf("kind %s missing (issue 5 asks for it)", want)
		}
	}
}

// The cost-per-mtok chart plots the instances' cost alone, and its title
// and description say so: run's headline cost per million tokens, which
// counts every cost line, is higher.
func TestCostPerMTokSaysInstancesOnly(t *testing.T) {
	f := testStore(t)
	c, err := Render(context.Background(), f.store, "cost-per-mtok", []string{f.base}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := costPerMTokCategories[0].kpi; got != kpi.CostPerMTokInstancesUSD {
		t.Fatalf("blended bar plots %s; update the title and this test", got)
	}
	if !strings.Contains(c.Title, "instances only") {
		t.Errorf("title %q does not say instances only", c.Title)
	}
	for _, k := range Kinds() {
		if k.Name == "cost-per-mtok" && !strings.Contains(k.Description, "instances only") {
			t.Errorf("description %q does not say instances only", k.Description)
		}
	}
}

// TestSaveReplacesNotFollows: a chart saved where a symbolic link stands
// replaces the link and leaves its target whole (written through, a link to
// the store overwrote the store with a PNG); a folder and a DuckDB file
// (--db x.png) are refused; no temporary file is left either way.
func TestSaveReplacesNotFollows(t *testing.T) {
	c := queueChart(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "store.duckdb")
	if err := os.WriteFile(target, []byte("the store"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "link.png")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "old.png"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db.png"), []byte("\x00\x00\x00\x00\x00\x00\x00\x00DUCK\x40"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "plots"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, wantErr string
	}{
		{"link.png", ""},
		{"old.png", ""},
		{"folder.png", "is a folder, not a file a chart may replace"},
		// A folder without an extension said "has no extension".
		{"plots", "plots is a folder, not a file a chart may replace"},
		{"db.png", "is a DuckDB database"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if _, err := CheckOutput(path); (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("CheckOutput(%s) = %v, want %q", tt.name, err, tt.wantErr)
		}
		err := c.Save(path)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Save(%s) = %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		fi, lerr := os.Lstat(path)
		if err != nil || lerr != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 {
			t.Errorf("Save(%s) = %v; afterwards %v %v, want a regular file, 0644", tt.name, err, fi, lerr)
		}
	}
	if b, err := os.ReadFile(target); err != nil || string(b) != "the store" {
		t.Errorf("the link's target holds %q (%v), want it untouched", b, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
