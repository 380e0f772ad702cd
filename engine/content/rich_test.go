package content

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// tinyPNG is a 2×1 PNG written for the tests.
func tinyPNG(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 1))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckRichText(t *testing.T) {
	tests := []struct {
		name, html string
		images     []string
		line       int    // of the error; 0 when accepted
		msg        string // part of the error
	}{
		{name: "paragraphs and emphasis", html: "<p>A <em>child</em> and <strong>family</strong>.</p><p>Two<br/>lines</p>"},
		{name: "list and table", html: "<ul><li>one</li></ul><table><tr><th scope=\"col\">a</th><td colspan=\"2\">b</td></tr></table>"},
		{name: "image", html: "<p><img src=\"img/genogram.png\" alt=\"Genogram\" width=\"300\"/></p>", images: []string{"img/genogram.png"}},
		{name: "MathML", html: "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><msup><mi>x</mi><mn>2</mn></msup></math>"},
		{name: "script", html: "<p>a</p>\n<script>alert(1)</script>", line: 2, msg: "element script"},
		{name: "event attribute", html: "<img src=\"a.png\" onerror=\"alert(1)\"/>", line: 1, msg: "attribute onerror"},
		{name: "style attribute", html: "<p style=\"background:url(http://x)\">a</p>", line: 1, msg: "attribute style"},
		{name: "link", html: "<a href=\"https://example.org\">x</a>", line: 1, msg: "element a"},
		{name: "URL image", html: "<img src=\"https://example.org/x.png\"/>", line: 1, msg: "not a URL"},
		{name: "parent path", html: "<img src=\"../x.png\"/>", line: 1, msg: "clean relative path"},
		{name: "javascript path", html: "<img src=\"javascript:alert(1)\"/>", line: 1, msg: "not a URL"},
		{name: "svg image", html: "<img src=\"x.svg\"/>", line: 1, msg: ".png"},
		{name: "HTML inside math", html: "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><img src=\"a.png\"/></math>", line: 1, msg: "element img"},
		{name: "namespace trick", html: "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>", line: 1, msg: "element svg"},
		{name: "HTML entity", html: "<p>a&nbsp;b</p>", line: 1, msg: "entity"},
		{name: "unclosed", html: "<p>a\n\n<em>b</p>", line: 3, msg: "element"},
		{name: "doctype", html: "<!DOCTYPE x><p/>", line: 1, msg: "directive"},
		{name: "classes", html: "<p class=\"qti-align-center lead\">a <span class=\"qti-underline\">b</span></p>"},
		{name: "class with a dot", html: "<p class=\"a.b\">a</p>", line: 1, msg: "want letters, digits"},
		{name: "class starting with a digit", html: "<p class=\"1a\">a</p>", line: 1, msg: "not a digit first"},
		{name: "empty class", html: "<p class=\" \">a</p>", line: 1, msg: "at least one class name"},
		{name: "too many classes", html: "<p class=\"a b c d e f g h i\">a</p>", line: 1, msg: "9 class names, at most 8"},
		{name: "long class", html: "<p class=\"" + strings.Repeat("a", 65) + "\">a</p>", line: 1, msg: "at most 64"},
		{name: "class in MathML", html: "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi class=\"a\">x</mi></math>", line: 1, msg: "attribute class"},
		{name: "bad width", html: "<img src=\"a.png\" width=\"100%\"/>", line: 1, msg: "whole number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			images, err := CheckRichText(tc.html)
			if tc.line == 0 {
				if err != nil || !slices.Equal(images, tc.images) {
					t.Fatalf("CheckRichText = %v, %v; want %v, nil", images, err, tc.images)
				}
				return
			}
			var re *RichTextError
			if !errors.As(err, &re) || re.Line != tc.line || !strings.Contains(re.Msg, tc.msg) {
				t.Fatalf("CheckRichText error %v, want line %d with %q", err, tc.line, tc.msg)
			}
		})
	}
}

// richTree is validTree with an image on I-1 (form F) and another on I-4
// (form G only).
func richTree(t *testing.T) fstest.MapFS {
	tr := validTree()
	a := tr.banks["items/a.json"]
	a.Items[0].StemHTML = `<p>Look at the <strong>genogram</strong>.</p><img src="img/f.png" alt="Genogram"/>`
	a.Items[3].Options[0].HTML = `<img src="img/g.png" alt="G"/>`
	a.Cases[0].HTML = `<p>Case <em>notes</em></p><img src="img/case.png" alt="Notes"/>`
	m := tr.fs(t)
	for _, p := range []string{"assets/img/f.png", "assets/img/g.png", "assets/img/case.png"} {
		m[p] = &fstest.MapFile{Data: tinyPNG(t)}
	}
	return m
}

func TestAssetsServedPerForm(t *testing.T) {
	lib, err := Load(richTree(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		form, path string
		ok         bool
	}{
		{"F", "img/f.png", true}, {"F", "img/case.png", true}, {"F", "img/g.png", false},
		{"G", "img/g.png", true}, {"G", "img/f.png", false}, {"F", "../staff.json", false}, {"X", "img/f.png", false},
	} {
		a, ok := lib.FormAsset(tc.form, tc.path)
		if ok != tc.ok || ok && (a.Type != "image/png" || !bytes.Equal(a.Data, tinyPNG(t))) {
			t.Errorf("FormAsset(%s, %s) = %v, %v; want found %v", tc.form, tc.path, a, ok, tc.ok)
		}
	}
}

func TestAssetsRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want string
	}{
		{"missing", func(m fstest.MapFS) { delete(m, "assets/img/f.png") }, "items/a.json: items[0].stem_html: image img/f.png: not found under assets/"},
		{"not an image", func(m fstest.MapFS) {
			m["assets/img/g.png"] = &fstest.MapFile{Data: []byte("<script>alert(1)</script>")}
		},
			"items/a.json: items[3].options[0].html: image img/g.png: its bytes are text/html; charset=utf-8, not image/png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := richTree(t)
			tc.edit(m)
			_, err := Load(m)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrReference) {
				t.Fatalf("Load error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRichTextLocated(t *testing.T) {
	tr := validTree()
	tr.banks["items/a.json"].Items[1].StemHTML = "<p>fine</p>\n<p onclick=\"x()\">no</p>"
	_, err := Load(tr.fs(t))
	want := "items/a.json: items[1].stem_html: line 2: attribute onclick is not allowed on p"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Load error %v, want %q", err, want)
	}
}

func f64(v float64) *float64 { return &v }

func TestPoints(t *testing.T) {
	four := opts("a", "b", "c", "d")
	mapped := &Item{Type: MultipleResponse, Options: four, Key: []string{"a", "c"}, MinSelect: 1, MaxSelect: 4,
		Scoring: &Scoring{Map: []OptionValue{{"a", 1}, {"c", 1}}, Default: -1, LowerBound: f64(0), UpperBound: f64(2)}}
	ranged := &Item{Type: MultipleResponse, Options: four, Key: []string{"a", "c"}, MinSelect: 2, MaxSelect: 3}
	single := &Item{Type: SingleBest, Options: four, Key: []string{"b"}, Scoring: &Scoring{Map: []OptionValue{{"b", 2}, {"c", 1}}}}
	points := &Item{Type: MultipleResponse, Options: four, Key: []string{"a", "b"}, Select: 2, Scoring: &Scoring{Points: 3}}
	tests := []struct {
		name   string
		it     *Item
		chosen []string
		want   float64
	}{
		// map_response: the sum of the mapped values, bounded to 0..2.
		{"map both keys", mapped, []string{"c", "a"}, 2},
		{"map one key", mapped, []string{"a"}, 1},
		{"map key and wrong", mapped, []string{"a", "b"}, 0},
		{"map key, key and wrong", mapped, []string{"a", "b", "c"}, 1},
		{"map all wrong, bounded below", mapped, []string{"b", "d"}, 0},
		{"map unanswered", mapped, nil, 0},
		{"range key", ranged, []string{"a", "c"}, 1},
		{"range below min", ranged, []string{"a"}, 0},
		{"range other set", ranged, []string{"a", "c", "d"}, 0},
		{"single mapped best", single, []string{"b"}, 2},
		{"single mapped partial", single, []string{"c"}, 1},
		{"single unmapped", single, []string{"a"}, 0},
		{"points key", points, []string{"b", "a"}, 3},
		{"points other", points, []string{"a", "c"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.it.Points(tc.chosen); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("Points(%v) = %g, want %g", tc.chosen, got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		it       *Item
		max, min float64
	}{{mapped, 2, 0}, {ranged, 1, 0}, {single, 2, 0}, {points, 3, 0}} {
		if tc.it.MaxPoints() != tc.max || tc.it.MinPoints() != tc.min {
			t.Errorf("item keyed %v: max %g min %g, want %g %g", tc.it.Key, tc.it.MaxPoints(), tc.it.MinPoints(), tc.max, tc.min)
		}
	}
}

func TestScoringRules(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Item)
		want string
	}{
		{"negative", func(it *Item) { it.Scoring.LowerBound = nil }, "items[1].scoring: an answer can score -2"},
		{"key not best", func(it *Item) { it.Scoring.Map = append(it.Scoring.Map, OptionValue{"a", 1}) }, "items[1].key: the key scores 1.5 but an answer can score 2"},
		{"unknown option", func(it *Item) { it.Scoring.Map[0].Option = "z" }, "items[1].scoring.map[0].option: \"z\" is not an option"},
		{"bounds reversed", func(it *Item) { it.Scoring.LowerBound = f64(3) }, "lower_bound: 3 is above the upper bound 2"},
		{"key outside range", func(it *Item) { it.MaxSelect = 1 }, "items[1].key: the key has 2 options, outside the range 1 to 1"},
		{"select and range", func(it *Item) { it.Select = 2 }, "items[1].select: give select or min_select and max_select, not both"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := validTree()
			it := &tr.banks["items/a.json"].Items[1] // I-2, key b, d
			it.Select, it.MinSelect, it.MaxSelect = 0, 1, 4
			it.Scoring = &Scoring{Map: []OptionValue{{"b", 0.75}, {"d", 0.75}}, Default: -1, LowerBound: f64(0), UpperBound: f64(2)}
			if _, err := Load(tr.fs(t)); err != nil {
				t.Fatalf("valid partial credit refused: %v", err)
			}
			tc.edit(it)
			_, err := Load(tr.fs(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error %v, want %q", err, tc.want)
			}
		})
	}
}

// FuzzCheckRichText: the checker never panics, and what it accepts names
// only clean image paths and, read again token by token as a browser's XML
// parser would, holds no element or attribute that can run script, load a
// URL or restyle the page.
func FuzzCheckRichText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<img src=\"a.png\"/>", "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi></math>",
		"<script/>", "<p onclick=\"x\"/>", "<p class=\"qti-underline a_b\"><span class=\"x\">y</span></p>", "<p class=\"a:b\"/>", "<![CDATA[<script>]]>", "<?x y?>", "<p>&#60;script&#62;</p>", "<x:p xmlns:x=\"y\"/>"} {
		f.Add(s)
	}
	badElements := []string{"script", "iframe", "style", "object", "embed", "a", "svg", "link", "meta", "base", "form", "foreignObject"}
	f.Fuzz(func(t *testing.T, s string) {
		images, err := CheckRichText(s)
		if err != nil {
			return
		}
		for _, p := range images {
			if CheckAssetPath(p) != "" {
				t.Fatalf("accepted image path %q", p)
			}
		}
		d := xml.NewDecoder(strings.NewReader("<rich>" + s + "</rich>"))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			se, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			if slices.Contains(badElements, strings.ToLower(se.Name.Local)) {
				t.Fatalf("accepted element %s in %q", se.Name.Local, s)
			}
			for _, a := range se.Attr {
				n := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(n, "on") || n == "style" || n == "href" || n == "srcdoc" || n == "id" ||
					n == "class" && (a.Name.Space != "" || CheckClass(a.Value) != "") {
					t.Fatalf("accepted attribute %s in %q", a.Name.Local, s)
				}
			}
		}
	})
}
