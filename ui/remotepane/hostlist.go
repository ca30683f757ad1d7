package remotepane

import (
	"context"
	"mime"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Services with a list API (Gyazo, DDownload) know uploads the ledger does
// not: ones made elsewhere or by another fsdeck. The pane shows them
// beside the ledger's, once each, marked as only on the server.

const (
	// listPerPage is the page size asked for (Gyazo's maximum is 100).
	listPerPage = 100
	// listMaxPages bounds one listing, so an account with very many
	// uploads costs a bounded number of paced requests.
	listMaxPages = 20
)

// serverListedMsg carries a service's list back from its command.
type serverListedMsg struct {
	target string
	scope  store.Scope
	items  []hosts.Result
	total  int
	err    error
}

// listServer pages through a Lister target's uploads in a command, up to
// the total the server reports; nil for a target without a list API.
func listServer(tc uikit.TargetConn) tea.Cmd {
	l, ok := tc.Host.(hosts.Lister)
	if !ok || !tc.Caps.List {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out := serverListedMsg{target: tc.Name, scope: tc.Scope}
		for page := 1; page <= listMaxPages; page++ {
			items, total, err := l.List(ctx, page, listPerPage)
			if err != nil {
				out.err = err
				return out
			}
			out.items, out.total = append(out.items, items...), total
			if len(items) == 0 || len(out.items) >= total {
				break
			}
		}
		return out
	}
}

// onServerListed keeps the list when it is still the shown target's.
func (p *Pane) onServerListed(msg serverListedMsg) tea.Cmd {
	reach := uikit.Emit(uikit.ReachMsg{Target: msg.target, Err: msg.err})
	tc := p.targets.Current()
	if msg.target != tc.Name || msg.scope != tc.Scope {
		return reach
	}
	if msg.err != nil {
		return tea.Batch(reach, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "listing " + text.Sanitize(tc.Title) + ": " + text.Sanitize(msg.err.Error())}))
	}
	p.server = msg.items
	p.merge()
	note := ""
	if len(msg.items) < msg.total {
		note = " (the first " + text.CountOf(len(msg.items), "file") + ")"
	}
	return tea.Batch(reach, uikit.Info("listed "+text.CountOf(msg.total, "file")+" on "+text.Sanitize(tc.Title)+note))
}

// merge shows the ledger's entries and, once each, the server's that the
// ledger lacks (matched by ID, else by URL), marked as only on the server.
func (p *Pane) merge() {
	keep, had := p.current()
	p.all = append([]store.Entry(nil), p.ledger...)
	p.serverOnly = map[string]bool{}
	ids, urls := map[string]bool{}, map[string]bool{}
	for _, e := range p.ledger {
		ids[e.Handle] = true
		if e.URL != "" {
			urls[e.URL] = true
		}
	}
	for _, r := range p.server {
		if r.ID == "" || ids[r.ID] || (r.URL != "" && urls[r.URL]) {
			continue
		}
		ids[r.ID] = true
		p.serverOnly[r.ID] = true
		p.all = append(p.all, store.Entry{Handle: r.ID, Filename: r.Name, Size: r.Size, URL: r.URL, Links: r.Links,
			Uploaded: r.Created, Added: r.Created, Expires: r.Expires, Mimetype: mimeOfName(r.Name)})
	}
	p.collide = collisions(p.all)
	p.reorder()
	for i, j := range p.order {
		if had && p.all[j].Handle == keep.Handle {
			p.list.Jump(i)
		}
	}
}

// mimeOfName guesses a listed file's type from its name (lists carry
// none), so image forms are offered for images.
func mimeOfName(name string) string {
	t := mime.TypeByExtension(filepath.Ext(name))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}
