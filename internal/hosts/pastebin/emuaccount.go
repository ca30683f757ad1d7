package pastebin

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// login answers api_login.php: a fresh api_user_key for a known account
// (the previous one stays valid here; Pastebin's docs say a new login may
// invalidate it, which clients must not rely on either way).
func (e *Emulator) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	b, err := io.ReadAll(r.Body)
	form, perr := url.ParseQuery(string(b))
	if err != nil || perr != nil {
		reply(w, "Bad API request, invalid POST parameters")
		return
	}
	user, pass := form.Get("api_user_name"), form.Get("api_user_password")
	switch {
	case !e.validKey(form.Get("api_dev_key")):
		reply(w, ErrBadDevKey)
	case user == "" || !e.validLogin(user, pass):
		reply(w, ErrBadLogin)
	default:
		k := make([]byte, 16)
		_, _ = rand.Read(k)
		uk := hex.EncodeToString(k)
		e.mu.Lock()
		e.sessions[hosts.Owner(uk)] = user
		err := e.save()
		e.mu.Unlock()
		if err != nil {
			reply(w, errStore)
			return
		}
		reply(w, uk)
	}
}

func (e *Emulator) validLogin(user, pass string) bool {
	if e.opts.Logins == nil {
		return e.validKey(pass)
	}
	want, ok := e.opts.Logins[user]
	return ok && pass != "" && pass == want
}

// user is the account of an api_user_key.
func (e *Emulator) user(uk string) (string, bool) {
	if uk == "" {
		return "", false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.sessions[hosts.Owner(uk)]
	return u, ok
}

// remove answers api_option=delete for the user's own paste.
func (e *Emulator) remove(w http.ResponseWriter, user, id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.pastes[id]
	if !ok || p.User != user {
		reply(w, ErrNoPermision)
		return
	}
	delete(e.pastes, id)
	if err := e.save(); err != nil {
		e.pastes[id] = p // still stored, so not reported removed
		reply(w, errStore)
		return
	}
	e.store.Remove(id, p.Size)
	reply(w, replyRemoved)
}

// show answers api_raw.php's api_option=show_paste: the text of one of
// the user's own pastes, private ones included.
func (e *Emulator) show(w http.ResponseWriter, user, id string) {
	e.mu.Lock()
	if e.sweep(e.opts.Now()) {
		_ = e.save()
	}
	p, ok := e.pastes[id]
	e.mu.Unlock()
	var text []byte
	if ok && p.User == user {
		text, ok = e.text(id, p.Size)
	}
	if !ok || p.User != user {
		reply(w, ErrNoView)
		return
	}
	reply(w, string(text))
}

// list answers api_option=list: the user's newest pastes as a sequence of
// <paste> elements, or "No pastes found.".
func (e *Emulator) list(w http.ResponseWriter, r *http.Request, user string, form url.Values) {
	limit := 50
	if v := form.Get("api_results_limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxListed {
			reply(w, "Bad API request, invalid api_results_limit")
			return
		}
		limit = n
	}
	e.mu.Lock()
	if e.sweep(e.opts.Now()) {
		_ = e.save()
	}
	var mine []listed
	for id, p := range e.pastes {
		if p.User == user {
			short, long := formatNames(p.Format)
			l := listed{Key: id, Date: p.Created.Unix(), Title: p.Name, Size: p.Size,
				Private: p.Private, FormatLong: long, FormatShort: short, URL: e.pasteURL(r, id), Hits: p.Hits}
			if !p.Expires.IsZero() {
				l.Expires = p.Expires.Unix()
			}
			mine = append(mine, l)
		}
	}
	e.mu.Unlock()
	if len(mine) == 0 {
		reply(w, replyNoPastes)
		return
	}
	sort.Slice(mine, func(i, j int) bool {
		if mine[i].Date != mine[j].Date {
			return mine[i].Date > mine[j].Date
		}
		return mine[i].Key < mine[j].Key
	})
	var b strings.Builder
	for _, l := range mine[:min(limit, len(mine))] {
		x, _ := xml.Marshal(struct {
			XMLName xml.Name `xml:"paste"`
			listed
		}{listed: l})
		b.Write(x)
		b.WriteString("\n")
	}
	reply(w, b.String())
}
