package transform

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

// Golden URLs taken from Filestack's processing documentation
// (https://www.filestack.com/docs/transformations/overview/) and the SDKs.
func TestParseGolden(t *testing.T) {
	tests := []struct {
		path string
		want Chain
	}{
		{"/KW9EJhYtS6y48Whm2S6D", Chain{Source: Handle("KW9EJhYtS6y48Whm2S6D")}},
		{"/resize=width:300/KW9EJhYtS6y48Whm2S6D", Chain{
			Tasks:  []Task{NewTask("resize", "width", Str("300"))},
			Source: Handle("KW9EJhYtS6y48Whm2S6D")}},
		{"/AhTgLagciQByzXpFGRI0Az/resize=width:300/https://example.com/a.jpg?x=1&y=2", Chain{
			APIKey: "AhTgLagciQByzXpFGRI0Az",
			Tasks:  []Task{NewTask("resize", "width", Str("300"))},
			Source: Handle("https://example.com/a.jpg?x=1&y=2")}},
		{"/APIKEY/security=p:POLICY,s:SIGNATURE/vignette/resize/crop/https://d1wtqaffaaj63z.cloudfront.net/images/20150617_143146.jpg", Chain{
			APIKey: "APIKEY",
			Tasks: []Task{NewTask("security", "p", Str("POLICY"), "s", Str("SIGNATURE")),
				{Name: "vignette"}, {Name: "resize"}, {Name: "crop"}},
			Source: Handle("https://d1wtqaffaaj63z.cloudfront.net/images/20150617_143146.jpg")}},
		{`/APIKEY/store=filename:a.jpg,path:"folder/image.jpg",location:s3/https://example.com/a.jpg`, Chain{
			APIKey: "APIKEY",
			Tasks: []Task{NewTask("store", "filename", Str("a.jpg"), "path", Str("folder/image.jpg"),
				"location", Str("s3"))},
			Source: Handle("https://example.com/a.jpg")}},
		{"/APIKEY/debug/resize=w:10,h:20,f:crop,a:[top,left]/HANDLEHANDLEHANDLE01", Chain{
			APIKey: "APIKEY", Debug: true,
			Tasks: []Task{NewTask("resize", "w", Str("10"), "h", Str("20"), "f", Str("crop"),
				"a", List(Str("top"), Str("left")))},
			Source: Handle("HANDLEHANDLEHANDLE01")}},
		{"/partial_pixelate=objects:[[10,20,200,250],[275,91,500,557]],amount:10/HANDLE", Chain{
			Tasks: []Task{NewTask("partial_pixelate",
				"objects", List(Ints(10, 20, 200, 250), Ints(275, 91, 500, 557)), "amount", Str("10"))},
			Source: Handle("HANDLE")}},
		{"/APIKEY/zip/[h1,h2,h3]", Chain{APIKey: "APIKEY", Tasks: []Task{{Name: "zip"}}, Source: Sources("h1", "h2", "h3")}},
		{"/cache=false/HANDLE", Chain{Tasks: []Task{{Name: "cache", Params: []Param{{Key: "false"}}}}, Source: Handle("HANDLE")}},
		{"/KEY/resize=w:5/https%3A%2F%2Fexample.com%2Fa.png", Chain{APIKey: "KEY",
			Tasks: []Task{NewTask("resize", "w", Str("5"))}, Source: Handle("https://example.com/a.png")}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := Parse(tt.path)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q)\n got %#v\nwant %#v", tt.path, got, tt.want)
			}
		})
	}
}

func TestParseB64Form(t *testing.T) {
	tasks := base64.URLEncoding.EncodeToString([]byte(`[{"name":"resize","params":{"width":100,"fit":"crop"}},{"name":"flip"}]`))
	src := base64.URLEncoding.EncodeToString([]byte("https://example.com/a.jpg"))
	c, err := Parse("/KEY/b64/" + tasks + "/b64://" + src)
	if err != nil {
		t.Fatal(err)
	}
	want := Chain{APIKey: "KEY", Tasks: []Task{NewTask("resize", "fit", Str("crop"), "width", Str("100")), {Name: "flip"}},
		Source: Handle("https://example.com/a.jpg")}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %#v", c)
	}
}

func TestFormatQuotesAndKey(t *testing.T) {
	c := Chain{APIKey: "KEY", Tasks: []Task{
		NewTask("store", "path", "dir/sub/x.jpg", "filename", "a,b.jpg"),
		NewTask("resize", "width", 300, "align", List(Str("top"), Str("left"))),
	}, Source: Handle("https://example.com/a.jpg")}
	want := `/KEY/store=path:"dir/sub/x.jpg",filename:"a,b.jpg"/resize=width:300,align:[top,left]/https://example.com/a.jpg`
	if got := c.Format(); got != want {
		t.Fatalf("Format\n got %s\nwant %s", got, want)
	}
	if !c.NeedsAPIKey() {
		t.Fatal("external source must need the API key segment")
	}
	c.APIKey = ""
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "API key is required") {
		t.Fatalf("Validate without key: %v", err)
	}
}

// Every native task round-trips Format → Parse with representative values.
func TestRoundTripEveryNativeTask(t *testing.T) {
	for _, spec := range Catalog() {
		if !spec.IsImplemented() {
			continue
		}
		task := sampleTask(spec)
		if err := task.Validate(); err != nil {
			t.Errorf("%s sample invalid: %v", spec.Name, err)
			continue
		}
		c := Chain{Tasks: []Task{task}, Source: Handle("aaaaaaaaaaaaaaaaaaaa")}
		got, err := Parse(c.Format())
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", spec.Name, c.Format(), err)
			continue
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("%s round trip\n got %#v\nwant %#v", spec.Name, got, c)
		}
	}
}

// sampleTask fills every parameter with a valid value derived from its spec.
func sampleTask(spec *TaskSpec) Task {
	t := Task{Name: spec.Name}
	for _, ps := range spec.Params {
		var v Value
		switch ps.Kind {
		case KindFlag:
			t.Params = append(t.Params, Param{Key: ps.Name})
			continue
		case KindInt:
			v = Int(int(ps.Max))
		case KindFloat:
			v = Float(ps.Max / 2)
		case KindBool:
			v = Bool(true)
		case KindString:
			v = Str("dir/with,comma")
		case KindEnum, KindEnumPair:
			v = Str(ps.Enum[len(ps.Enum)-1])
		case KindColor:
			v = Str("FF00AA")
		case KindInts:
			v = Ints(1, 2, 3, 4)
		case KindIntLists:
			v = List(Ints(1, 2, 3, 4), Ints(5, 6, 7, 8))
		case KindStrings:
			v = List(Str("a"), Str("b"))
		}
		t.Params = append(t.Params, Param{Key: ps.Name, Value: v, HasValue: true})
	}
	if spec.Name == "cache" {
		t.Params = t.Params[:1]
	}
	return t
}

func TestValidateMessages(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/resize=heigt:300/H", "invalid parameter `heigt` for `resize` task; did you mean `height`?"},
		{"/resize=widht:300/H", "did you mean `width`?"}, {"/resize=colour:red/H", "invalid parameter `colour` for `resize` task"}, // far from every parameter: no suggestion
		{"/KEY/frobnicate/H", "invalid task `frobnicate`"}, {"/resize=w:1/frobnicate/H", "invalid task `frobnicate`"},
		{"/resize=width:abc/H", "invalid value for parameter `width` of `resize` task: expected an integer from 0 to 10000"},
		{"/resize=width:20000/H", "20000 is out of range"},
		{"/resize=fit:crop/H", "needs `width` or `height`"},
		{"/watermark=size:10/H", "missing required parameter `file` for `watermark` task"},
		{"/rotate=deg:exif,background:notacolour/H", "expected a colour"},
		{"/crop=dim:[1,2,3]/H", "array of 4 integers"},
		{"/resize=width:10,w:20/H", "given twice"},
		{"/cache=false:1/H", "takes no value"},
	}
	for _, tt := range tests {
		c, err := Parse(tt.path)
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.path, err, tt.want)
		}
		if strings.Contains(tt.path, "colour:red") && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("%s: a far-off name got a suggestion: %v", tt.path, err)
		}
	}
	ok := []string{"/rotate=deg:exif/H", "/rounded_corners=radius:max/H", "/output=format:webp,quality:input/H",
		"/cache=expiry:max/H", "/video_convert=preset:h264,anything:[1,2]/H", "/round_corners=r:5/H"}
	for _, p := range ok {
		c, err := Parse(p)
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestParseSyntaxErrors(t *testing.T) {
	for _, p := range []string{"", "/", `/resize=width:"300/H`, "/resize=a:[1,2/H", "/resize=a:1]/H",
		"/resize=/H", "/=x/H", "/resize=:1/H", "/a//H", `/resize=w:"a"b/H`, "/KEY/zip/[]",
		"//0/b64/0/0", "/KEY/flip/debug/H", "/resize=w:1/b64/x/H"} {
		if c, err := Parse(p); err == nil {
			t.Errorf("Parse(%q) = %#v, want error", p, c)
		}
	}
}

func TestCanonicalNormalisesAliasesAndOrder(t *testing.T) {
	a, _ := ParseTask("resize=h:20,w:10,f:crop")
	b, _ := ParseTask("resize=width:10,fit:crop,height:20")
	if a.Canonical().Format() != b.Canonical().Format() {
		t.Fatalf("%s != %s", a.Canonical().Format(), b.Canonical().Format())
	}
	if a.Int("width", 0) != 10 || a.String("fit", "") != "crop" {
		t.Fatalf("alias lookup failed: %#v", a)
	}
}

func TestParseColor(t *testing.T) {
	for s, want := range map[string][4]uint8{"FFF": {255, 255, 255, 255}, "ff0000": {255, 0, 0, 255},
		"00FF0080": {0, 255, 0, 128}, "transparent": {0, 0, 0, 0}, "gray50": {127, 127, 127, 255}} {
		c, ok := ParseColor(s)
		if !ok || [4]uint8{c.R, c.G, c.B, c.A} != want {
			t.Errorf("ParseColor(%q) = %v %v", s, c, ok)
		}
	}
	for _, s := range []string{"", "GGG", "12345", "gray101", "nosuch"} {
		if IsColor(s) {
			t.Errorf("IsColor(%q) = true", s)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"/H", "/KEY/resize=w:1/https://x/y?z", `/s=p:"a/b"/H`, "/zip/[a,b]", "/a=[[1,2],[3]]/H", "/KEY/b64/e30/b64://aHR0cA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		_ = c.Validate()
		again, err := Parse(c.Format())
		if err != nil {
			t.Fatalf("Format output %q of %q does not parse: %v", c.Format(), s, err)
		}
		if again.Format() != c.Format() {
			t.Fatalf("not stable: %q -> %q -> %q", s, c.Format(), again.Format())
		}
	})
}

// ValidHandle is the handle form the client and the server both check: 20
// characters of [A-Za-z0-9_-], nothing else.
func TestValidHandle(t *testing.T) {
	for h, want := range map[string]bool{
		"AbCdEfGhIjKlMnOpQr_-": true, "01234567890123456789": true,
		"AbCdEfGhIjKlMnOpQr_": false, "AbCdEfGhIjKlMnOpQr_-x": false, "": false,
		"AbCdEfGhIjKlMnOpQr/-": false, "AbCdEfGhIjKlMnOpQr.-": false, "AbCdEfGhIjKlMnOpQré": false,
	} {
		if got := ValidHandle(h); got != want {
			t.Errorf("ValidHandle(%q) = %v, want %v", h, got, want)
		}
	}
}
