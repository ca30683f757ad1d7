package emulator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A key that is present and wrong is refused on every route, also where
// no key is needed; a correct key is accepted there.
func TestWrongKeyRejectedEverywhere(t *testing.T) {
	e := newTEnv(t, Options{FetchPrivate: true})
	img := pngBytes(quadrants(20, 10))
	h := e.storeRaw(img, "&filename=q.png")
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	defer src.Close()
	wrong := []struct{ method, path, body string }{
		{"GET", "/" + h + "?key=WRONG", ""},
		{"HEAD", "/" + h + "?key=WRONG", ""},
		{"GET", "/" + h + "/metadata?key=WRONG", ""},
		{"GET", "/resize=w:4/" + h + "?key=WRONG", ""},
		{"GET", "/" + key + "/resize=w:4/" + h + "?key=WRONG", ""},
		{"GET", "/api/file/" + h + "?key=WRONG", ""},
		{"GET", "/api/file/" + h + "/metadata?key=WRONG", ""},
		{"POST", "/api/store/S3?key=WRONG", "x"},
		{"POST", "/multipart/start?key=WRONG", `{"apikey":"` + key + `","filename":"f","size":3}`},
		{"POST", "/multipart/start", `{"apikey":"WRONG","filename":"f","size":3}`},
		{"POST", "/process?key=WRONG", `{"apikey":"` + key + `","sources":["` + src.URL + `/a.png"],"tasks":[{"name":"store"}]}`},
	}
	for _, w := range wrong {
		r := e.do(w.method, w.path, strings.NewReader(w.body), "Content-Type", "application/json")
		if r.status != 401 {
			t.Errorf("%s %s: %d %s, want 401", w.method, w.path, r.status, truncate(string(r.body), 80))
		}
	}
	right := []string{"/" + h + "?key=" + key, "/" + h + "/metadata?key=" + key, "/resize=w:4/" + h + "?key=" + key,
		// An external source's own query string is not the request's key.
		"/" + key + "/resize=w:4/" + src.URL + "/a.png?key=WRONG"}
	for _, p := range right {
		if r := e.do("GET", p, nil); r.status != 200 {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
}

// The part-URL signature is compared in constant time. Behaviour cannot
// show it, so this reads the package source: no secret-derived value
// (signature, secret, HMAC) is compared with == or != outside tests.
func TestSecretsComparedInConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	secretish := regexp.MustCompile(`(?i)sig|secret|hmac|mac\b|password`)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		src := func(x ast.Expr) string {
			var b strings.Builder
			ast.Walk(identCollector{&b}, x)
			return b.String()
		}
		ast.Inspect(f, func(n ast.Node) bool {
			be, ok := n.(*ast.BinaryExpr)
			if !ok || (be.Op != token.EQL && be.Op != token.NEQ) || isEmptyOrNil(be.X) || isEmptyOrNil(be.Y) {
				return true
			}
			if l, r := src(be.X), src(be.Y); secretish.MatchString(l) || secretish.MatchString(r) {
				t.Errorf("%s: %s %s %s compares a secret-derived value with %s; use hmac.Equal",
					fset.Position(be.Pos()), l, be.Op, r, be.Op)
			}
			return true
		})
	}
}

// identCollector gathers the identifiers and string literals of an expression.
type identCollector struct{ b *strings.Builder }

func (c identCollector) Visit(n ast.Node) ast.Visitor {
	switch x := n.(type) {
	case *ast.Ident:
		c.b.WriteString(x.Name + " ")
	case *ast.BasicLit:
		c.b.WriteString(x.Value + " ")
	}
	return c
}

func isEmptyOrNil(x ast.Expr) bool {
	if id, ok := x.(*ast.Ident); ok && id.Name == "nil" {
		return true
	}
	lit, ok := x.(*ast.BasicLit)
	return ok && (lit.Value == `""` || lit.Value == "0")
}

// A tampered part signature is still refused (the comparison changed, the
// decision did not).
func TestPartSignatureTampered(t *testing.T) {
	e := newTEnv(t, Options{})
	m := e.mpStart(4, nil)
	r := e.postJSON("/multipart/upload", m.base(map[string]any{"part": 1, "size": 4, "md5": md5b64([]byte("abcd"))}))
	u := r.json(t)
	hdr := u["headers"].(map[string]any)
	auth := hdr["Authorization"].(string)
	last := auth[len(auth)-1:]
	flipped := "0"
	if last == "0" {
		flipped = "1"
	}
	for _, a := range []string{auth[:len(auth)-1] + flipped, auth[:len(auth)-1], auth + "0"} {
		req, _ := http.NewRequest("PUT", u["url"].(string), strings.NewReader("abcd"))
		for k, v := range hdr {
			req.Header.Set(k, v.(string))
		}
		req.Header.Set("Authorization", a)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 403 {
			t.Errorf("tampered signature %q: %d", a[len(a)-8:], res.StatusCode)
		}
	}
}
