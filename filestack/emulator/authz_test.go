package emulator

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"image"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// secTask renders credentials as the security task of a processing URL.
func secTask(c security.Credentials) string {
	return "security=p:" + c.Policy + ",s:" + c.Signature
}

// Every file a chain reads is checked against the policy, not only the
// source at the end of the URL: a policy scoped to HB must not serve HC
// through fallback, watermark, zip or store.
func TestPolicyCoversEveryFileAChainReads(t *testing.T) {
	e := newTEnv(t, Options{})
	hb := e.storeRaw(pngBytes(image.NewNRGBA(image.Rect(0, 0, 40, 20))), "&filename=b.png")
	hc := e.storeRaw([]byte("the bytes of HC"), "&filename=c.txt")
	hd := e.storeRaw(pngBytes(quadrants(20, 20)), "&filename=d.png")
	onlyB := security.New(secret, security.Policy{Expiry: future(), Call: []string{"convert", "read"}, Handle: hb})
	sec := secTask(onlyB)
	if r := e.do("GET", "/"+key+"/"+sec+"/"+hc, nil); r.status != 403 {
		t.Fatalf("HC directly with a policy for HB: %d %s", r.status, r.body)
	}
	denied := []struct{ name, path string }{
		{"fallback", "/" + key + "/" + sec + "/fallback=handle:" + hc + "/crop=dim:[5000,5000,10,10]/" + hb},
		{"fallback without key", "/" + sec + "/fallback=handle:" + hc + "/crop=dim:[5000,5000,10,10]/" + hb},
		{"watermark", "/" + key + "/" + sec + "/watermark=file:" + hd + "/output=format:png/" + hb},
		{"zip", "/" + key + "/" + sec + "/zip/[" + hb + "," + hc + "]"},
	}
	for _, d := range denied {
		r := e.do("GET", d.path, nil)
		if r.status != 403 || bytes.Contains(r.body, []byte("the bytes of HC")) {
			t.Errorf("%s: %d %q, want 403", d.name, r.status, truncate(string(r.body), 80))
		}
	}
	storeB := security.New(secret, security.Policy{Expiry: future(), Call: []string{"convert", "read", "store"}, Handle: hb})
	before := storedCount(t, e)
	if r := e.do("GET", "/"+key+"/"+secTask(storeB)+"/store/"+hc, nil); r.status != 403 {
		t.Errorf("store from HC with a policy for HB: %d %s", r.status, r.body)
	}
	if n := storedCount(t, e); n != before {
		t.Errorf("a refused store created %d files", n-before)
	}

	// The same tasks work when the policy covers the files they read.
	if r := e.do("GET", "/"+key+"/"+sec+"/fallback=handle:"+hb+"/crop=dim:[5000,5000,10,10]/"+hb, nil); r.status != 200 ||
		decode(t, r.body).Bounds().Dx() != 40 {
		t.Errorf("fallback to the policy's own handle: %d %s", r.status, truncate(string(r.body), 80))
	}
	all := secTask(security.New(secret, security.Policy{Expiry: future(), Call: []string{"convert", "read"}}))
	r := e.do("GET", "/"+key+"/"+all+"/watermark=file:"+hd+"/output=format:png/"+hb, nil)
	if r.status != 200 || !near(decode(t, r.body).At(12, 2), red, 30) {
		t.Errorf("watermark under a policy for every handle: %d %s", r.status, truncate(string(r.body), 80))
	}
	// An expired policy or a missing call also holds for the extra file.
	noRead := secTask(security.New(secret, security.Policy{Expiry: future(), Call: []string{"read"}}))
	if r := e.do("GET", "/"+key+"/"+noRead+"/fallback=handle:"+hc+"/crop=dim:[5000,5000,10,10]/"+hb, nil); r.status != 403 {
		t.Errorf("fallback under a policy without convert: %d %s", r.status, r.body)
	}
}

// With security required, a chain's extra files need the policy as well.
func TestSecurityRequiredCoversWatermark(t *testing.T) {
	e := newTEnv(t, Options{SecurityRequired: true})
	pick := signed(security.Policy{Expiry: future(), Call: []string{"pick"}}).Encode()
	store := func(data []byte) string {
		r := e.do("POST", "/api/store/S3?key="+key+"&"+pick, bytes.NewReader(data))
		if r.status != 200 {
			t.Fatalf("store: %d %s", r.status, r.body)
		}
		u := r.json(t)["url"].(string)
		return u[strings.LastIndex(u, "/")+1:]
	}
	hb, hd := store(pngBytes(quadrants(40, 20))), store(pngBytes(quadrants(20, 20)))
	onlyB := secTask(security.New(secret, security.Policy{Expiry: future(), Call: []string{"convert"}, Handle: hb}))
	if r := e.do("GET", "/"+onlyB+"/watermark=file:"+hd+"/"+hb, nil); r.status != 403 {
		t.Fatalf("watermark of another handle: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/"+onlyB+"/watermark=file:"+hb+"/"+hb, nil); r.status != 200 {
		t.Fatalf("watermark of the same handle: %d %s", r.status, r.body)
	}
}

func storedCount(t *testing.T, e *tenv) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(e.dir, "files", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// Storing through a processing URL needs the API key, and debug never
// stores, with or without a key.
func TestStoreNeedsKeyAndDebugNeverWrites(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(quadrants(20, 20)), "&filename=q.png")
	before := storedCount(t, e)
	for _, p := range []string{"/store/" + h, "/resize=w:10/store/" + h, "/debug/store/" + h, "/" + key + "/debug/store/" + h,
		"/" + key + "/debug/resize=w:10/store=filename:x.png/" + h} {
		for _, method := range []string{"GET", "POST"} {
			r := e.do(method, p, nil)
			if n := storedCount(t, e); n != before {
				t.Fatalf("%s %s stored a file (%d %s)", method, p, r.status, r.body)
			}
			if !strings.Contains(p, "debug") && (r.status != 400 || !strings.Contains(string(r.body), "API key")) {
				t.Errorf("%s %s: %d %s, want 400 naming the API key", method, p, r.status, r.body)
			}
		}
	}
	m := e.do("GET", "/"+key+"/debug/resize=w:10/store=filename:x.png/"+h, nil).json(t)
	if st := m["status"].(map[string]any); st["http_code"] != 200.0 || !strings.Contains(m["task_uri"].(string), "store=") {
		t.Fatalf("debug of a storing chain: %v", m)
	}
	m = e.do("GET", "/debug/store/"+h, nil).json(t)
	if st := m["status"].(map[string]any); st["http_code"] != 400.0 {
		t.Fatalf("debug of a storing chain without key: %v", m)
	}
	if r := e.do("GET", "/"+key+"/store/"+h, nil); r.status != 200 || storedCount(t, e) != before+1 {
		t.Fatalf("store with the key: %d %s", r.status, r.body)
	}
}

// A mistyped task without parameters is not mistaken for an API key.
func TestUnknownTaskSegment(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(quadrants(20, 20)), "")
	tests := []struct {
		path   string
		status int
		msg    []string
	}{
		{"/frobnicate/" + h, 400, []string{"unknown task `frobnicate`", "did you mean"}},
		{"/monochrom/" + h, 400, []string{"unknown task `monochrom`", "did you mean `monochrome`"}},
		{"/resiz/flip/" + h, 400, []string{"unknown task `resiz`", "`resize`"}},
		{"/" + key + "/monochrom/" + h, 400, []string{"`monochrom`", "did you mean `monochrome`"}},
		// Segments that look like keys are still judged as keys.
		{"/wrongkeyaaaaaaaaaaaaaa/resize=w:10/" + h, 401, []string{"Invalid API key"}},
		{"/AhTgLagciQByzXpFGRI0Az/monochrome/" + h, 401, []string{"Invalid API key"}},
	}
	for _, tt := range tests {
		r := e.do("GET", tt.path, nil)
		if r.status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.path, r.status, r.body, tt.status)
			continue
		}
		for _, m := range tt.msg {
			if !strings.Contains(string(r.body), m) {
				t.Errorf("%s: %q does not say %q", tt.path, r.body, m)
			}
		}
	}
	var rep map[string]any
	json.Unmarshal(e.do("GET", "/frobnicate/debug/"+h, nil).body, &rep)
	if st, _ := rep["status"].(map[string]any); st == nil || st["http_code"] != 400.0 {
		t.Errorf("debug report of an unknown task: %v", rep)
	}
}

// processingFiles hold the code that runs processing chains.
var processingFiles = []string{"process.go", "pipeline.go", "imageops.go", "processjson.go"}

// Processing reads files only after authorizeSource: any function there
// that opens a stored file, reads its metadata or data path, or fetches a
// URL checks the request's policy for that file first, so a new task that
// reads another file cannot skip the check.
func TestProcessingReadsOnlyAfterAuthorizeSource(t *testing.T) {
	reads := map[string]bool{"store.open": true, "store.loadMeta": true, "store.dataPath": true,
		"store.ensureDims": true, "store.ensureHashes": true, "s.metadata": true, "fetch.get": true}
	fset := token.NewFileSet()
	for _, name := range processingFiles {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			checked := token.NoPos
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if sel.Sel.Name == "authorizeSource" && checked == token.NoPos {
					checked = call.Pos()
				}
				if x, ok := sel.X.(*ast.SelectorExpr); ok && reads[x.Sel.Name+"."+sel.Sel.Name] ||
					isIdentNamed(sel.X, "s") && reads["s."+sel.Sel.Name] {
					if checked == token.NoPos || checked > call.Pos() {
						t.Errorf("%s: %s reads a file before authorizeSource", fset.Position(call.Pos()), fn.Name.Name)
					}
				}
				return true
			})
		}
	}
}

func isIdentNamed(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}

// Every URL fetched on a caller's behalf is authorized by the one
// function that checks a policy's url, authorizeSource: store-from-URL
// and overwrite from a URL as much as a processing source. This reads
// the package: any function that fetches (fetch.get) calls
// authorizeSource before it.
func TestEveryFetchAuthorizedFirst(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	fetchers := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			checked := token.NoPos
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if sel.Sel.Name == "authorizeSource" && checked == token.NoPos {
					checked = call.Pos()
				}
				if x, ok := sel.X.(*ast.SelectorExpr); ok && x.Sel.Name == "fetch" && sel.Sel.Name == "get" {
					fetchers++
					if checked == token.NoPos || checked > call.Pos() {
						t.Errorf("%s: %s fetches a URL before authorizeSource", fset.Position(call.Pos()), fn.Name.Name)
					}
				}
				return true
			})
		}
	}
	if fetchers < 2 {
		t.Fatalf("found %d fetches; the check no longer sees them", fetchers)
	}
}
