package builtin

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/localca"
)

// ownHostsKey is the key the services' emulators accept in these tests.
const ownHostsKey = "docs-key"

// ownHostsServer is fsdeck serve's handler for the hosting services over
// TLS with the local CA's certificate, and a client that sends every
// hostname to it: the test-local stand-in for /etc/hosts. Nothing but the
// loopback listener is ever dialled.
type ownHostsServer struct {
	t      *testing.T
	srv    *httptest.Server
	client *http.Client
	fell   []string // requests that reached the server behind (Filestack's)
}

func newOwnHostsServer(t *testing.T) *ownHostsServer {
	t.Helper()
	dir := t.TempDir()
	s := &ownHostsServer{t: t}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fell = append(s.fell, r.Host+r.URL.Path)
		http.NotFound(w, r)
	})
	cfg, files, err := localca.Ensure(dir, append(Hostnames(), "cdn.filestackcontent.com"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewUnstartedServer(Mount(next, []string{ownHostsKey}, dir, nil))
	s.srv.TLS = cfg
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	pem, err := os.ReadFile(files.CACert)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	addr := s.srv.Listener.Addr().String()
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	s.client = &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return s
}

// do sends req and returns the status, headers and body.
func (s *ownHostsServer) do(req *http.Request) (int, http.Header, []byte) {
	s.t.Helper()
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func (s *ownHostsServer) get(u string, hdr ...string) (int, http.Header, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return s.do(req)
}

func (s *ownHostsServer) postForm(u string, v url.Values) (int, http.Header, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

// multipartBody is a multipart form with fields and one file part.
func multipartBody(t *testing.T, fields map[string]string, fileField, fileName string, content []byte) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

// ImgBB's documented example upload: a 1×1 GIF as base64, 42 bytes.
const docGIF = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

// mustMatch fails unless s matches the pattern.
func mustMatch(t *testing.T, what, s, pattern string) {
	t.Helper()
	if !regexp.MustCompile(`^` + pattern + `$`).MatchString(s) {
		t.Errorf("%s = %q, want %s", what, s, pattern)
	}
}

// Requests to the services' own hostnames reach their emulators whatever
// the path, and nothing else does: Filestack's hosts, the server's own
// address and unknown names go to the server behind, and the /NAME/
// prefixes keep working on the server's address.
func TestOwnHostsRouteToTheirEmulators(t *testing.T) {
	s := newOwnHostsServer(t)
	if code, _, _ := s.get("https://pastebin.com/raw/nosuchpaste"); code != http.StatusNotFound {
		t.Fatalf("pastebin.com/raw/nosuchpaste: %d", code)
	}
	for _, u := range []string{"https://cdn.filestackcontent.com/abc", "https://localhost/pastebin.com/x"} {
		s.get(u)
	}
	if len(s.fell) != 2 || s.fell[0] != "cdn.filestackcontent.com/abc" {
		t.Fatalf("reached the server behind: %v", s.fell)
	}
	s.fell = nil
	code, _, body := s.postForm("https://localhost/pastebin/api/api_post.php",
		url.Values{"api_dev_key": {ownHostsKey}, "api_option": {"paste"}, "api_paste_code": {"hi"}})
	mustMatch(t, "paste URL on the server's address", string(body), `https://localhost/pastebin/[A-Za-z0-9]{8}`)
	if code != http.StatusOK || len(s.fell) != 0 {
		t.Fatalf("prefix route: %d, fell %v", code, s.fell)
	}
}

// imgbbUpload is the API page's example call, a POST to api.imgbb.com.
func imgbbUpload(t *testing.T, s *ownHostsServer) map[string]any {
	t.Helper()
	code, hdr, body := s.postForm("https://api.imgbb.com/1/upload?expiration=600&key="+ownHostsKey, url.Values{"image": {docGIF}})
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("upload: %d %s %s", code, hdr.Get("Content-Type"), body)
	}
	var reply struct {
		Data    map[string]any `json:"data"`
		Success bool           `json:"success"`
		Status  int            `json:"status"`
	}
	if err := json.Unmarshal(body, &reply); err != nil || !reply.Success || reply.Status != 200 {
		t.Fatalf("upload reply %s: %v", body, err)
	}
	return reply.Data
}

// ImgBB on its own hosts: the upload reply's links are on i.ibb.co and
// ibb.co, and each of them answers through the same mapping.
func TestImgBBOnItsOwnHosts(t *testing.T) {
	s := newOwnHostsServer(t)
	d := imgbbUpload(t, s)
	id, _ := d["id"].(string)
	mustMatch(t, "id", id, `[A-Za-z0-9]{7}`)
	mustMatch(t, "url_viewer", d["url_viewer"].(string), `https://ibb\.co/`+id)
	mustMatch(t, "url", d["url"].(string), `https://i\.ibb\.co/`+id+`/[A-Za-z0-9]+\.gif`)
	mustMatch(t, "delete_url", d["delete_url"].(string), `https://ibb\.co/`+id+`/[0-9a-f]{32}`)
	// Every field of the documented example reply, numbers quoted as it
	// quotes them.
	title, _ := d["title"].(string)
	mustMatch(t, "display_url", d["display_url"].(string), `https://i\.ibb\.co/`+id+`/`+title+`\.gif`)
	for k, v := range map[string]string{"width": "1", "height": "1", "size": "42", "expiration": "600"} {
		if d[k] != v {
			t.Errorf("%s = %#v, want %q", k, d[k], v)
		}
	}
	if ts, _ := strconv.ParseInt(fmt.Sprint(d["time"]), 10, 64); time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
		t.Errorf("time = %#v", d["time"])
	}
	for _, k := range []string{"image", "thumb", "medium"} {
		v, _ := d[k].(map[string]any)
		if v["filename"] != title+".gif" || v["name"] != title || v["mime"] != "image/gif" || v["extension"] != "gif" {
			t.Errorf("%s = %v", k, v)
		}
		u, _ := v["url"].(string)
		mustMatch(t, k+".url", u, `https://i\.ibb\.co/`+id+`/((thumb|medium)/)?`+title+`\.gif`)
		if code, hdr, _ := s.get(u); code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "image/") {
			t.Errorf("GET %s.url: %d %s", k, code, hdr.Get("Content-Type"))
		}
	}
	if len(d) != 14 {
		t.Errorf("%d fields, the documented reply has 14: %v", len(d), d)
	}
	want, _ := base64.StdEncoding.DecodeString(docGIF)
	if code, _, b := s.get(d["url"].(string)); code != http.StatusOK || !bytes.Equal(b, want) {
		t.Fatalf("GET url: %d, %d bytes", code, len(b))
	}
	for _, k := range []string{"url_viewer", "delete_url"} {
		code, hdr, b := s.get(d[k].(string))
		if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s: %d %s", k, code, hdr.Get("Content-Type"))
		}
		if !strings.Contains(string(b), `src="`+d["url"].(string)) && !strings.Contains(string(b), "https://i.ibb.co/"+id+"/thumb/") {
			t.Errorf("%s page does not link the image on i.ibb.co:\n%s", k, b)
		}
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https://i.ibb.co;") {
			t.Errorf("%s page's policy would block its image on i.ibb.co: %s", k, csp)
		}
	}
	if len(s.fell) != 0 {
		t.Fatalf("requests reached the server behind: %v", s.fell)
	}
}

// Pastebin on pastebin.com: the paste URL is https://pastebin.com/KEY,
// its raw text at /raw/KEY, and its page links the raw text there.
func TestPastebinOnItsOwnHost(t *testing.T) {
	s := newOwnHostsServer(t)
	code, _, body := s.postForm("https://pastebin.com/api/api_post.php", url.Values{"api_dev_key": {ownHostsKey},
		"api_option": {"paste"}, "api_paste_code": {"just some random text you :)"}})
	if code != http.StatusOK {
		t.Fatalf("paste: %d %q", code, body)
	}
	u := string(body)
	mustMatch(t, "paste URL", u, `https://pastebin\.com/[A-Za-z0-9]{8}`)
	key := strings.TrimPrefix(u, "https://pastebin.com/")
	if code, _, b := s.get("https://pastebin.com/raw/" + key); code != http.StatusOK || string(b) != "just some random text you :)" {
		t.Fatalf("raw: %d %q", code, b)
	}
	code, _, b := s.get(u)
	if code != http.StatusOK || !strings.Contains(string(b), `href="/raw/`+key+`"`) {
		t.Fatalf("page: %d\n%s", code, b)
	}
}

// Pastebin's documented calls with a login on pastebin.com: the list
// carries every documented field (api_paste_format stored and given back
// as paste_format_short and paste_format_long, views counted as
// paste_hits), show_paste answers the text, delete removes it.
func TestPastebinAccountOnItsOwnHost(t *testing.T) {
	s := newOwnHostsServer(t)
	_, _, uk := s.postForm("https://pastebin.com/api/api_login.php", url.Values{"api_dev_key": {ownHostsKey},
		"api_user_name": {"someone"}, "api_user_password": {ownHostsKey}})
	userKey := string(uk)
	mustMatch(t, "api_user_key", userKey, `[0-9a-f]{32}`)
	_, _, body := s.postForm("https://pastebin.com/api/api_post.php", url.Values{"api_dev_key": {ownHostsKey},
		"api_option": {"paste"}, "api_paste_code": {"print('hi')"}, "api_paste_name": {"script.py"},
		"api_paste_format": {"python"}, "api_paste_private": {"1"}, "api_paste_expire_date": {"1H"}, "api_user_key": {userKey}})
	key := strings.TrimPrefix(string(body), "https://pastebin.com/")
	mustMatch(t, "paste key", key, `[A-Za-z0-9]{8}`)
	s.get("https://pastebin.com/" + key)
	s.get("https://pastebin.com/raw/" + key)
	_, _, list := s.postForm("https://pastebin.com/api/api_post.php", url.Values{"api_dev_key": {ownHostsKey},
		"api_user_key": {userKey}, "api_option": {"list"}, "api_results_limit": {"100"}})
	var got struct {
		Key, Title, FormatLong, FormatShort, URL string
		Date, Size, Expires, Hits                int64
		Private                                  int
	}
	dec := xml.NewDecoder(bytes.NewReader(list))
	var el struct {
		Key         string `xml:"paste_key"`
		Date        int64  `xml:"paste_date"`
		Title       string `xml:"paste_title"`
		Size        int64  `xml:"paste_size"`
		Expires     int64  `xml:"paste_expire_date"`
		Private     int    `xml:"paste_private"`
		FormatLong  string `xml:"paste_format_long"`
		FormatShort string `xml:"paste_format_short"`
		URL         string `xml:"paste_url"`
		Hits        int64  `xml:"paste_hits"`
	}
	if err := dec.Decode(&el); err != nil {
		t.Fatalf("list %q: %v", list, err)
	}
	got.Key, got.Title, got.FormatLong, got.FormatShort, got.URL = el.Key, el.Title, el.FormatLong, el.FormatShort, el.URL
	got.Date, got.Size, got.Expires, got.Hits, got.Private = el.Date, el.Size, el.Expires, el.Hits, el.Private
	if got.Key != key || got.Title != "script.py" || got.FormatLong != "Python" || got.FormatShort != "python" ||
		got.URL != "https://pastebin.com/"+key || got.Size != 11 || got.Private != 1 || got.Hits != 2 ||
		got.Expires-got.Date != 3600 || time.Since(time.Unix(got.Date, 0)).Abs() > time.Minute {
		t.Fatalf("listed %+v from %s", got, list)
	}
	for _, tag := range []string{"paste_key", "paste_date", "paste_title", "paste_size", "paste_expire_date", "paste_private",
		"paste_format_long", "paste_format_short", "paste_url", "paste_hits"} {
		if !bytes.Contains(list, []byte("<"+tag+">")) {
			t.Errorf("list lacks <%s>: %s", tag, list)
		}
	}
	_, _, text := s.postForm("https://pastebin.com/api/api_raw.php", url.Values{"api_dev_key": {ownHostsKey},
		"api_user_key": {userKey}, "api_option": {"show_paste"}, "api_paste_key": {key}})
	if string(text) != "print('hi')" {
		t.Fatalf("show_paste: %q", text)
	}
	_, _, del := s.postForm("https://pastebin.com/api/api_post.php", url.Values{"api_dev_key": {ownHostsKey},
		"api_user_key": {userKey}, "api_option": {"delete"}, "api_paste_key": {key}})
	if string(del) != "Paste Removed" {
		t.Fatalf("delete: %q", del)
	}
	if code, _, _ := s.get("https://pastebin.com/raw/" + key); code != http.StatusNotFound {
		t.Fatalf("raw after delete: %d", code)
	}
}

// Gyazo on its own hosts: upload.gyazo.com takes the documented form,
// the reply's url is on i.gyazo.com and its permalink on gyazo.com, and
// api.gyazo.com lists and deletes.
func TestGyazoOnItsOwnHosts(t *testing.T) {
	s := newOwnHostsServer(t)
	shot := bigPNG(t, 400, 300)
	body, ctype := multipartBody(t, map[string]string{"access_token": ownHostsKey, "title": "A title", "desc": "a description",
		"referer_url": "https://example.com/page"}, "imagedata", "shot.png", shot)
	req, _ := http.NewRequest(http.MethodPost, "https://upload.gyazo.com/api/upload", body)
	req.Header.Set("Content-Type", ctype)
	code, _, b := s.do(req)
	var up map[string]any
	if err := json.Unmarshal(b, &up); code != http.StatusOK || err != nil {
		t.Fatalf("upload: %d %s", code, b)
	}
	id, _ := up["image_id"].(string)
	mustMatch(t, "image_id", id, `[0-9a-f]{32}`)
	mustMatch(t, "url", up["url"].(string), `https://i\.gyazo\.com/`+id+`\.png`)
	mustMatch(t, "permalink_url", up["permalink_url"].(string), `https://gyazo\.com/`+id)
	mustMatch(t, "thumb_url", up["thumb_url"].(string), `https://i\.gyazo\.com/thumb/180/`+id+`\.png`)
	if up["type"] != "png" {
		t.Errorf("type = %v", up["type"])
	}
	if code, _, img := s.get(up["url"].(string)); code != http.StatusOK || !bytes.Equal(img, shot) {
		t.Fatalf("GET url: %d", code)
	}
	// thumb_url is a real thumbnail: the image made to fit 180 pixels.
	code, _, th := s.get(up["thumb_url"].(string))
	cfg, format, err := image.DecodeConfig(bytes.NewReader(th))
	if code != http.StatusOK || err != nil || format != "png" || cfg.Width != 180 || cfg.Height != 135 {
		t.Fatalf("GET thumb_url: %d, %s %dx%d, %v", code, format, cfg.Width, cfg.Height, err)
	}
	if code, hdr, _ := s.get(up["permalink_url"].(string)); code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("GET permalink_url: %d %s", code, hdr.Get("Content-Type"))
	}
	code, hdr, b := s.get("https://api.gyazo.com/api/images?access_token=" + ownHostsKey)
	if code != http.StatusOK || hdr.Get("X-Total-Count") != "1" || hdr.Get("X-Current-Page") != "1" || hdr.Get("X-Per-Page") != "20" ||
		hdr.Get("X-User-Type") == "" {
		t.Fatalf("list: %d %v %s", code, hdr, b)
	}
	var items []map[string]any
	if err := json.Unmarshal(b, &items); err != nil || len(items) != 1 {
		t.Fatalf("list: %s", b)
	}
	it := items[0]
	for _, k := range []string{"image_id", "permalink_url", "thumb_url", "url", "type"} {
		if it[k] != up[k] {
			t.Errorf("listed %s = %v, uploaded %v", k, it[k], up[k])
		}
	}
	mustMatch(t, "created_at", fmt.Sprint(it["created_at"]), `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}`)
	meta, _ := it["metadata"].(map[string]any)
	if meta["app"] == nil || meta["title"] != "A title" || meta["url"] != "https://example.com/page" || meta["desc"] != "a description" {
		t.Errorf("metadata = %v", meta)
	}
	code, _, b = s.get("https://api.gyazo.com/api/images/" + id + "?access_token=" + ownHostsKey)
	var one map[string]any
	if err := json.Unmarshal(b, &one); code != http.StatusOK || err != nil || one["created_at"] != it["created_at"] || one["url"] != up["url"] {
		t.Fatalf("image: %d %s", code, b)
	}
	req, _ = http.NewRequest(http.MethodDelete, "https://api.gyazo.com/api/images/"+id+"?access_token="+ownHostsKey, nil)
	if code, _, b := s.do(req); code != http.StatusOK || string(bytes.TrimSpace(b)) != `{"image_id":"`+id+`","type":"png"}` {
		t.Fatalf("delete: %d %s", code, b)
	}
}

// GoFile on its own hosts: upload.gofile.io takes the file, the download
// page is on gofile.io and links the file there.
func TestGoFileOnItsOwnHosts(t *testing.T) {
	s := newOwnHostsServer(t)
	body, ctype := multipartBody(t, nil, "file", "notes.txt", []byte("hello gofile"))
	req, _ := http.NewRequest(http.MethodPost, "https://upload.gofile.io/uploadfile", body)
	req.Header.Set("Content-Type", ctype)
	code, _, b := s.do(req)
	var up struct {
		Status string         `json:"status"`
		Data   map[string]any `json:"data"`
	}
	if err := json.Unmarshal(b, &up); code != http.StatusOK || err != nil || up.Status != "ok" {
		t.Fatalf("upload: %d %s", code, b)
	}
	sum := md5.Sum([]byte("hello gofile"))
	for k, v := range map[string]any{"name": "notes.txt", "size": float64(12), "md5": hex.EncodeToString(sum[:]),
		"mimetype": "text/plain; charset=utf-8", "type": "file"} {
		if up.Data[k] != v {
			t.Errorf("%s = %#v, want %#v", k, up.Data[k], v)
		}
	}
	for _, k := range []string{"id", "parentFolder", "parentFolderCode", "guestToken"} {
		if v, _ := up.Data[k].(string); v == "" {
			t.Errorf("%s missing: %v", k, up.Data)
		}
	}
	for _, k := range []string{"createTime", "modTime"} {
		if v, _ := up.Data[k].(float64); time.Since(time.Unix(int64(v), 0)).Abs() > time.Minute {
			t.Errorf("%s = %v", k, up.Data[k])
		}
	}
	if sv, _ := up.Data["servers"].([]any); len(sv) == 0 {
		t.Errorf("servers = %v", up.Data["servers"])
	}
	page := up.Data["downloadPage"].(string)
	mustMatch(t, "downloadPage", page, `https://gofile\.io/d/`+up.Data["parentFolderCode"].(string))
	code, _, html := s.get(page)
	link := regexp.MustCompile(`href="(https://gofile\.io/download/web/[^"]+)"`).FindStringSubmatch(string(html))
	if code != http.StatusOK || link == nil {
		t.Fatalf("download page: %d\n%s", code, html)
	}
	if code, _, f := s.get(link[1]); code != http.StatusOK || string(f) != "hello gofile" {
		t.Fatalf("file: %d %q", code, f)
	}
	del, _ := json.Marshal(map[string]string{"contentsId": up.Data["id"].(string)})
	req, _ = http.NewRequest(http.MethodDelete, "https://api.gofile.io/contents", bytes.NewReader(del))
	req.Header.Set("Authorization", "Bearer "+up.Data["guestToken"].(string))
	req.Header.Set("Content-Type", "application/json")
	if code, _, b := s.do(req); code != http.StatusOK || !strings.Contains(string(b), `"ok"`) {
		t.Fatalf("delete: %d %s", code, b)
	}
}

// DDownload on its own hosts: api-v2.ddownload.com hands out an upload
// URL on the emulator's upload host, and file/list links ddownload.com/CODE.
func TestDDownloadOnItsOwnHosts(t *testing.T) {
	s := newOwnHostsServer(t)
	code, _, b := s.get("https://api-v2.ddownload.com/api/upload/server?key=" + ownHostsKey)
	var srv struct {
		Status int    `json:"status"`
		SessID string `json:"sess_id"`
		Result string `json:"result"`
	}
	var srvAll map[string]any
	_ = json.Unmarshal(b, &srvAll)
	if err := json.Unmarshal(b, &srv); code != http.StatusOK || err != nil || srv.Status != 200 || srvAll["msg"] != "OK" || srv.SessID == "" {
		t.Fatalf("upload/server: %d %s", code, b)
	}
	mustMatch(t, "server_time", fmt.Sprint(srvAll["server_time"]), `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)
	mustMatch(t, "upload URL", srv.Result, `https://upload\.ddownload\.com/.+`)
	body, ctype := multipartBody(t, map[string]string{"sess_id": srv.SessID, "utype": "reg"}, "file", "data.bin", []byte("ddl bytes"))
	req, _ := http.NewRequest(http.MethodPost, srv.Result, body)
	req.Header.Set("Content-Type", ctype)
	code, _, b = s.do(req)
	var up []struct {
		FileCode   string `json:"file_code"`
		FileStatus string `json:"file_status"`
	}
	if err := json.Unmarshal(b, &up); code != http.StatusOK || err != nil || len(up) != 1 || up[0].FileStatus != "OK" {
		t.Fatalf("upload: %d %s", code, b)
	}
	code, _, b = s.get("https://api-v2.ddownload.com/api/file/list?key=" + ownHostsKey)
	var list struct {
		Status int `json:"status"`
		Result struct {
			Files []map[string]any `json:"files"`
			Total int              `json:"results_total"`
			Pages int              `json:"pages"`
		} `json:"result"`
	}
	if err := json.Unmarshal(b, &list); code != http.StatusOK || err != nil || list.Status != 200 || list.Result.Total != 1 ||
		list.Result.Pages != 1 || len(list.Result.Files) != 1 {
		t.Fatalf("file/list: %d %s", code, b)
	}
	f := list.Result.Files[0]
	if f["name"] != "data.bin" || f["file_code"] != up[0].FileCode || f["link"] != "https://ddownload.com/"+up[0].FileCode || f["size"] != float64(9) {
		t.Errorf("listed %v", f)
	}
	mustMatch(t, "uploaded", fmt.Sprint(f["uploaded"]), `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)
	code, _, b = s.get("https://api-v2.ddownload.com/api/file/info?key=" + ownHostsKey + "&file_code=" + up[0].FileCode)
	if code != http.StatusOK || !strings.Contains(string(b), `"name":"data.bin"`) {
		t.Errorf("file/info: %d %s", code, b)
	}
	if code, _, f := s.get("https://ddownload.com/" + up[0].FileCode + "?key=" + ownHostsKey); code != http.StatusOK || string(f) != "ddl bytes" {
		t.Fatalf("file page: %d %q", code, f)
	}
}

// The links an emulator builds follow the request: its scheme and port
// are kept on the service's host.
func TestOwnHostLinksKeepSchemeAndPort(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "http://pastebin.com:8080/api/api_post.php", nil)
	routes := []hosts.HostRoute{{Host: "pastebin.com", Out: true}}
	r := hosts.ViaOwnHost(req, "/pastebin", routes[0], routes)
	if r.URL.Path != "/pastebin/api/api_post.php" {
		t.Fatalf("rewritten path %q", r.URL.Path)
	}
	if got := hosts.LinkFor(r, "/pastebin", "/AbCd1234"); got != "http://pastebin.com:8080/AbCd1234" {
		t.Fatalf("link %q", got)
	}
	if got := hosts.LinkFor(req, "/pastebin", "/AbCd1234"); got != "http://pastebin.com:8080/pastebin/AbCd1234" {
		t.Fatalf("link without own host %q", got)
	}
}

// bigPNG is a w×h PNG of noise-free stripes.
func bigPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i / 64)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
