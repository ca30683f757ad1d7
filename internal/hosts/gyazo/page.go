package gyazo

import (
	"html/template"
	"net/http"
	"net/url"
)

// pageTmpl is the permalink page (gyazo.com/ID on the real service: the
// image with its title and description). html/template escapes what the
// uploader sent.
var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p><a href="{{.URL}}"><img src="{{.URL}}" alt="{{.Title}}"></a></p>
{{- if .Desc}}
<p>{{.Desc}}</p>
{{- end}}
</body></html>
`))

// permalink answers an image's permalink_url with its page.
func (e *Emulator) permalink(w http.ResponseWriter, r *http.Request, id string) {
	e.mu.Lock()
	s, ok := e.imgs[id]
	e.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	title := s.Title
	if title == "" {
		title = "Gyazo image " + s.ID
	}
	u := e.view(r, s).URL
	if e.opts.KeyRequired {
		u += "?" + url.Values{"access_token": {r.URL.Query().Get("access_token")}}.Encode()
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src *")
	_ = pageTmpl.Execute(w, struct{ Title, URL, Desc string }{title, u, s.Desc})
}
