package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// policyRoute is one route that reads, writes or fetches, as the policy
// matrix drives it. Every route is checked under security for every
// request, with a policy built for it (goodPolicy) and with that policy
// broken one way at a time (policyCases).
type policyRoute struct {
	name  string
	calls []string // the calls it needs
	// handle: it acts on a stored file, so a policy for another handle
	// is refused. fetch: it fetches a URL on the caller's behalf, so the
	// policy's url applies. size: the bytes it stores (maxSize and
	// minSize apply when > 0). path: it stores at a path under matrix/.
	handle, fetch, path bool
	size                int64
	// setup prepares what the route acts on, once, before any case;
	// send makes the request with the credentials (zero: none).
	setup func(e *tenv) any
	send  func(e *tenv, st any, c security.Credentials) resp
}

// policyCase is one way a request's credentials can fail.
type policyCase struct {
	name    string
	applies func(policyRoute) bool
	creds   func(rt policyRoute, st any) security.Credentials
	says    string // what the refusal must name
	// fetches: the refusal may come after the URL was fetched (only the
	// fetched bytes tell the size); every other refusal comes first.
	fetches bool
}

// fetchedURL is the policy regex every loopback source matches; the
// mismatching policy names a host that is never fetched.
const fetchedURL = `^http://127\.0\.0\.1:[0-9]+/`

func goodPolicy(rt policyRoute, st any) security.Policy {
	p := security.Policy{Expiry: future(), Call: rt.calls}
	if rt.handle {
		p.Handle = st.(matrixState).handle
	}
	if rt.fetch {
		p.URL = fetchedURL
	}
	if rt.size > 0 {
		p.MaxSize, p.MinSize = rt.size, rt.size
	}
	if rt.path {
		p.Path = "^matrix/"
	}
	return p
}

// allCallsBut is every call a policy can name except those that would
// allow call (store and pick allow each other, revoke is remove).
func allCallsBut(call string) []string {
	var out []string
	for _, c := range []string{"pick", "read", "stat", "write", "writeUrl", "store", "convert", "remove", "revoke", "exif", "runWorkflow"} {
		if !(security.Policy{Call: []string{c}}).Allows(call) {
			out = append(out, c)
		}
	}
	return out
}

func policyCases(rt policyRoute) []policyCase {
	signed := func(f func(*security.Policy)) func(policyRoute, any) security.Credentials {
		return func(rt policyRoute, st any) security.Credentials {
			p := goodPolicy(rt, st)
			f(&p)
			return security.New(secret, p)
		}
	}
	cases := []policyCase{
		{"no policy", nil, func(policyRoute, any) security.Credentials { return security.Credentials{} }, "Policy required", false},
		{"bad signature", nil, func(rt policyRoute, st any) security.Credentials {
			c := security.New(secret, goodPolicy(rt, st))
			c.Signature = strings.Repeat("0", 64)
			return c
		}, "signature", false},
		{"expired", nil, signed(func(p *security.Policy) { p.Expiry = time.Now().Add(-time.Minute).Unix() }), "expired", false},
		{"another handle", func(rt policyRoute) bool { return rt.handle },
			signed(func(p *security.Policy) { p.Handle = "OTHERxxxxxxxxxxxxxxx" }), "handle", false},
		{"url mismatch", func(rt policyRoute) bool { return rt.fetch },
			signed(func(p *security.Policy) { p.URL = `^https://trusted\.example/` }), "policy url", false},
		{"maxSize below", func(rt policyRoute) bool { return rt.size > 0 },
			signed(func(p *security.Policy) { p.MaxSize = rt.size - 1 }), "maxSize", true},
		{"minSize above", func(rt policyRoute) bool { return rt.size > 0 },
			signed(func(p *security.Policy) { p.MinSize = rt.size + 1 }), "minSize", true},
	}
	for _, call := range rt.calls {
		cases = append(cases, policyCase{"missing call " + call, nil,
			signed(func(p *security.Policy) { p.Call = allCallsBut(call) }), "`" + call + "`", false})
	}
	return cases
}

// matrixState is what a route's setup made: the stored file it acts on
// and, for the Upload API, the multipart session.
type matrixState struct {
	handle string
	mp     mp
}

// TestPolicyMatrix: under security for every request, every route that
// reads, writes or fetches is refused (403, naming why) with no policy, a
// bad signature, an expired policy, a policy for another handle, one
// without the call it needs, one whose url the fetched URL does not
// match, and one whose maxSize or minSize the stored bytes break; and a
// refusal changes nothing stored and fetches nothing. The policy all
// those are made from is then accepted, so each refusal is for the one
// thing changed. (Part PUTs are authorized by the URL multipart/upload
// signed, TestPartSignatureTampered.)
func TestPolicyMatrix(t *testing.T) {
	e := newTEnv(t, Options{SecurityRequired: true, FetchPrivate: true, MinPartSize: 1})
	img := pngBytes(quadrants(16, 8))
	text := []byte("fetched text, 30 bytes long!!\n")
	var fetches atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		if strings.HasSuffix(r.URL.Path, ".png") {
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write(text)
	}))
	defer src.Close()
	pngURL, textURL := src.URL+"/img.png", src.URL+"/file.txt"
	stored := func(e *tenv) any { return matrixState{handle: e.adminStore(img, "&filename=m.png")} }
	rows := e.policyRoutes(img, text, pngURL, textURL, stored)
	for _, rt := range rows {
		t.Run(rt.name, func(t *testing.T) {
			var st any = matrixState{}
			if rt.setup != nil {
				st = rt.setup(e)
			}
			for _, pc := range policyCases(rt) {
				if pc.applies != nil && !pc.applies(rt) {
					continue
				}
				t.Run(pc.name, func(t *testing.T) {
					before, fetched := snapshotData(t, e.dir), fetches.Load()
					r := rt.send(e, st, pc.creds(rt, st))
					if r.status != http.StatusForbidden || !strings.Contains(string(r.body), pc.says) {
						t.Errorf("%d %s, want 403 naming %q", r.status, truncate(string(r.body), 160), pc.says)
					}
					if after := snapshotData(t, e.dir); !maps.Equal(before, after) {
						t.Error("the refused request changed what is stored")
					}
					if n := fetches.Load() - fetched; n > 0 && !pc.fetches {
						t.Errorf("the refused request fetched its URL %d times", n)
					}
				})
			}
			t.Run("the policy the cases are made from", func(t *testing.T) {
				if r := rt.send(e, st, security.New(secret, goodPolicy(rt, st))); r.status/100 != 2 {
					t.Errorf("%d %s", r.status, truncate(string(r.body), 200))
				}
			})
		})
	}
}

// policyRoutes lists the routes of the matrix.
func (e *tenv) policyRoutes(img, text []byte, pngURL, textURL string, stored func(*tenv) any) []policyRoute {
	q := func(c security.Credentials) string {
		if c.IsZero() {
			return ""
		}
		return "policy=" + url.QueryEscape(c.Policy) + "&signature=" + c.Signature
	}
	sec := func(c security.Credentials) string {
		if c.IsZero() {
			return ""
		}
		return "/" + secTask(c)
	}
	h := func(st any) string { return st.(matrixState).handle }
	get := func(path string) func(*tenv, any, security.Credentials) resp {
		return func(e *tenv, st any, c security.Credentials) resp {
			return e.do("GET", strings.ReplaceAll(path, "H", h(st))+"?"+q(c), nil)
		}
	}
	urlForm := func(u string) (*strings.Reader, string) {
		return strings.NewReader(url.Values{"url": {u}}.Encode()), "application/x-www-form-urlencoded"
	}
	urlJSON := func(u string) (*strings.Reader, string) {
		b, _ := json.Marshal(map[string]string{"url": u})
		return strings.NewReader(string(b)), "application/json"
	}
	n := int64(len(img))
	rows := []policyRoute{
		{name: "CDN GET /HANDLE", calls: []string{"read"}, handle: true, setup: stored, send: get("/H")},
		{name: "File API GET /api/file/HANDLE", calls: []string{"read"}, handle: true, setup: stored, send: get("/api/file/H")},
		{name: "File API metadata", calls: []string{"stat"}, handle: true, setup: stored, send: get("/api/file/H/metadata")},
		{name: "CDN metadata /HANDLE/metadata", calls: []string{"stat"}, handle: true, setup: stored, send: get("/H/metadata")},
		{name: "processing /resize/HANDLE", calls: []string{"convert"}, handle: true, setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				return e.do("GET", sec(c)+"/resize=w:4/"+h(st), nil)
			}},
		{name: "processing zip", calls: []string{"convert"}, handle: true, setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				return e.do("GET", "/"+key+sec(c)+"/zip/["+h(st)+","+h(st)+"]", nil)
			}},
		{name: "processing external source", calls: []string{"convert"}, fetch: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				return e.do("GET", "/"+key+sec(c)+"/resize=w:4/"+pngURL, nil)
			}},
		{name: "external source passed through", calls: []string{"read"}, fetch: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				return e.do("GET", "/"+key+sec(c)+"/"+textURL, nil)
			}},
		{name: "store raw body", calls: []string{"store"}, size: n, path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				return e.do("POST", "/api/store/S3?key="+key+"&path=matrix/raw&"+q(c), bytes.NewReader(img), "Content-Type", "image/png")
			}},
		{name: "store fileUpload form", calls: []string{"store"}, size: n, path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				body, ct := multipartBody("fileUpload", "m.png", img, nil)
				return e.do("POST", "/api/store/S3?key="+key+"&path=matrix/form&"+q(c), body, "Content-Type", ct)
			}},
		{name: "store from URL (form)", calls: []string{"store"}, fetch: true, size: int64(len(text)), path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				body, ct := urlForm(textURL)
				return e.do("POST", "/api/store/S3?key="+key+"&path=matrix/url&"+q(c), body, "Content-Type", ct)
			}},
		{name: "store from URL (JSON)", calls: []string{"store"}, fetch: true, size: int64(len(text)), path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				body, ct := urlJSON(textURL)
				return e.do("POST", "/api/store/S3?key="+key+"&path=matrix/json&"+q(c), body, "Content-Type", ct)
			}},
		{name: "store task on a handle", calls: []string{"convert", "store"}, handle: true, size: n, path: true, setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				return e.do("GET", "/"+key+sec(c)+`/store=path:"matrix/task"/`+h(st), nil)
			}},
		{name: "store task on an external source", calls: []string{"convert", "store"}, fetch: true, size: int64(len(text)), path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				return e.do("POST", "/"+key+sec(c)+`/store=path:"matrix/ext"/`+textURL, nil)
			}},
		{name: "POST /process", calls: []string{"convert", "store"}, fetch: true, size: int64(len(text)), path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				var tasks []map[string]any
				if !c.IsZero() {
					tasks = append(tasks, map[string]any{"name": "security", "params": map[string]any{"policy": c.Policy, "signature": c.Signature}})
				}
				tasks = append(tasks, map[string]any{"name": "store", "params": map[string]any{"path": "matrix/process"}})
				return e.postJSON("/process", map[string]any{"apikey": key, "sources": []string{textURL}, "tasks": tasks})
			}},
		{name: "overwrite raw body", calls: []string{"write"}, handle: true, size: n, setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				return e.do("POST", "/api/file/"+h(st)+"?"+q(c), bytes.NewReader(img), "Content-Type", "image/png")
			}},
		{name: "overwrite fileUpload form (PUT)", calls: []string{"write"}, handle: true, size: n, setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				body, ct := multipartBody("fileUpload", "m.png", img, nil)
				return e.do("PUT", "/api/file/"+h(st)+"?"+q(c), body, "Content-Type", ct)
			}},
		{name: "overwrite from URL (form)", calls: []string{"writeUrl"}, handle: true, fetch: true, size: int64(len(text)), setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				body, ct := urlForm(textURL)
				return e.do("POST", "/api/file/"+h(st)+"?"+q(c), body, "Content-Type", ct)
			}},
		{name: "overwrite from URL (JSON)", calls: []string{"writeUrl"}, handle: true, fetch: true, size: int64(len(text)), setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				body, ct := urlJSON(textURL)
				return e.do("POST", "/api/file/"+h(st)+"?"+q(c), body, "Content-Type", ct+"; charset=utf-8")
			}},
		{name: "delete", calls: []string{"remove"}, handle: true, setup: stored,
			send: func(e *tenv, st any, c security.Credentials) resp {
				return e.do("DELETE", "/api/file/"+h(st)+"?key="+key+"&"+q(c), nil)
			}},
	}
	return append(rows, e.uploadAPIRoutes()...)
}

// uploadAPIRoutes are the matrix rows of the Upload API, whose calls
// carry the policy in their bodies.
func (e *tenv) uploadAPIRoutes() []policyRoute {
	const size = 6
	data := []byte("abcdef")
	creds := func(c security.Credentials) map[string]any {
		if c.IsZero() {
			return map[string]any{}
		}
		return map[string]any{"policy": c.Policy, "signature": c.Signature}
	}
	with := func(m map[string]any, more map[string]any) map[string]any {
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	store := map[string]any{"location": "s3", "path": "matrix/mp"}
	session := func(fii bool) func(e *tenv) any {
		return func(e *tenv) any {
			return matrixState{mp: e.mpStart(size, with(e.adminUpload(), map[string]any{"fii": fii, "store": store}))}
		}
	}
	uploaded := func(e *tenv) any {
		st := session(false)(e).(matrixState)
		etag := st.mp.part(1, data, e.adminUpload()).header.Get("ETag")
		st.mp.start["parts"] = []map[string]any{{"part_number": 1, "etag": etag}}
		return st
	}
	completed := func(e *tenv) any {
		st := uploaded(e).(matrixState)
		if r := st.mp.complete(with(e.adminUpload(), map[string]any{"parts": st.mp.start["parts"], "size": size})); r.status != 200 {
			e.t.Fatalf("complete: %d %s", r.status, r.body)
		}
		return st
	}
	chunked := func(e *tenv) any {
		st := session(true)(e).(matrixState)
		if r := st.mp.part(1, data, with(e.adminUpload(), map[string]any{"offset": 0, "fii": true})); r.status != 200 {
			e.t.Fatalf("chunk: %d %s", r.status, r.body)
		}
		return st
	}
	complete := func(e *tenv, st any, c security.Credentials) resp {
		m := st.(matrixState).mp
		return m.complete(with(creds(c), map[string]any{"parts": m.start["parts"], "size": size}))
	}
	return []policyRoute{
		{name: "multipart start", calls: []string{"pick"}, size: size, path: true,
			send: func(e *tenv, _ any, c security.Credentials) resp {
				return e.postJSON("/multipart/start", with(creds(c), map[string]any{"apikey": key, "filename": "m.bin", "size": size, "store": store}))
			}},
		{name: "multipart upload", calls: []string{"pick"}, path: true, setup: session(false),
			send: func(e *tenv, st any, c security.Credentials) resp {
				m := st.(matrixState).mp
				return e.postJSON("/multipart/upload", m.base(with(creds(c), map[string]any{"part": 1, "size": size, "store": store})))
			}},
		{name: "multipart commit", calls: []string{"pick"}, path: true, setup: chunked,
			send: func(e *tenv, st any, c security.Credentials) resp {
				m := st.(matrixState).mp
				return e.postJSON("/multipart/commit", m.base(with(creds(c), map[string]any{"part": 1, "size": size, "store": store})))
			}},
		{name: "multipart complete", calls: []string{"pick"}, size: size, path: true, setup: uploaded, send: complete},
		{name: "multipart complete, repeated after it finished", calls: []string{"pick"}, size: size, path: true,
			setup: completed, send: complete},
	}
}

// adminStore stores data with the app secret (basic auth), which security
// for every request still lets through, and returns its handle.
func (e *tenv) adminStore(data []byte, query string) string {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/store/S3?key="+key+query, bytes.NewReader(data))
	req.SetBasicAuth("app", secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode != 200 {
		e.t.Fatalf("admin store: %d %v", res.StatusCode, err)
	}
	u := m["url"].(string)
	return u[strings.LastIndex(u, "/")+1:]
}

// adminUpload is the body fields of an Upload API policy that allows any
// upload, for setting up sessions.
func (e *tenv) adminUpload() map[string]any {
	c := security.New(secret, security.Policy{Expiry: future(), Call: []string{"pick"}})
	return map[string]any{"policy": c.Policy, "signature": c.Signature}
}

// snapshotData maps every file under files/ and sessions/ to a hash of
// its content, to tell whether a request changed anything stored.
func snapshotData(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, sub := range []string{"files", "sessions"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			sum := sha256.Sum256(b)
			out[p] = hex.EncodeToString(sum[:])
			return nil
		})
	}
	return out
}
