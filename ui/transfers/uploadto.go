package transfers

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Where an upload goes is settled before the transfers panel sees it: u
// sends to the current target unless several targets have a real key
// (then it asks, the last choice preselected); "upload to…" always asks,
// greying out the targets that cannot take the file. The files are then
// walked and checked against the ledger (uploadflow.go); a target with
// expiry or privacy options offers them last, for what is still to go.
// esc at any of these questions says the upload was skipped.

// uploadDest is where an upload goes: a target by registry name ("" is
// the root target, the engine's own) and the options for it.
type uploadDest struct {
	target string
	opts   hosts.UploadOptions
	// ask: the target was chosen from the menu, so its options are
	// asked too.
	ask bool
	// what names the request's paths for "upload skipped: a.txt".
	what string
}

// host reports whether the upload goes to a target other than the
// engine's own.
func (d uploadDest) host() bool { return d.target != "" }

// uploadToMsg: the person chose a target for req.
type uploadToMsg struct {
	req  uikit.UploadRequestMsg
	name string
}

// uploadOptsMsg carries the options chosen so far for files; step says
// which question comes next.
type uploadOptsMsg struct {
	files []transfer.UploadFile
	dest  uploadDest
	step  int
}

// routeUpload decides whether to ask where an upload goes. The menu is
// made in a command: greying out a target reads the files' first bytes.
func (t *Panel) routeUpload(req uikit.UploadRequestMsg) tea.Cmd {
	if !req.Ask && len(t.targets.Keyed()) <= 1 {
		return t.steps.Start(uikit.Emit(t.destined(req, uploadDest{target: t.targets.Current().Name})))
	}
	targets, last, env := t.targets, t.uploadTo, t.env
	return t.steps.Start(func() tea.Msg {
		return uikit.OpenMsg{Overlay: uploadToMenu(env, targets, last, req, refusals(targets, req.Paths))}
	})
}

// destined is req with its destination settled: the root target is the
// engine's own ("").
func (t *Panel) destined(req uikit.UploadRequestMsg, d uploadDest) destinedMsg {
	if t.targets.IsRoot(d.target) {
		d.target = ""
	}
	d.what = pathsWhat(req.Paths)
	return destinedMsg{req: req, dest: d}
}

// pathsWhat names paths for a message: "a.txt", "a.txt, b.txt and
// photos", "a.txt, b.txt, c.txt and 4 more".
func pathsWhat(paths []string) string {
	names := make([]string, 0, 3)
	for i, p := range paths {
		if i == 3 {
			break
		}
		names = append(names, text.Sanitize(filepath.Base(p)))
	}
	switch rest := len(paths) - len(names); {
	case rest > 0:
		return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", rest)
	case len(names) > 1:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names, "")
}

// skipped says an upload was stopped at a question.
func skipped(what string) tea.Cmd {
	return uikit.Info("upload skipped: " + what)
}

// uploadToMenu offers every target, the last choice (else the current
// target) under the cursor; a target refused says why and cannot be
// chosen.
func uploadToMenu(env *uikit.Env, targets uikit.Targets, last string, req uikit.UploadRequestMsg, refused map[string]string) uikit.Menu {
	items := make([]uikit.MenuItem, targets.Len())
	cursor := targets.Index()
	for i := range targets.Len() {
		tc := targets.Conn(i)
		if tc.Name == last {
			cursor = i
		}
		items[i] = uikit.MenuItem{Key: uikit.MenuKey(i), Label: uikit.TargetLabel(tc), Msg: uploadToMsg{req: req, name: tc.Name}}
		if why := refused[tc.Name]; why != "" {
			// The reason, not the target's whole description, is what
			// must fit on the line.
			items[i].Label, items[i].Disabled = tc.Title, why
		} else if targets.NeedsKey(tc) {
			// With no key of its own it would go to the built-in
			// emulator, not the service chosen: ctrl+k adds one.
			items[i].Label, items[i].Disabled = tc.Title, "no key — "+env.Keys().Keys.Help().Key+" to add"
			items[i].Fix = uikit.Emit(uikit.AddKeyMsg{Target: tc.Name})
		}
	}
	what := text.CountOf(len(req.Paths), "item")
	if len(req.Paths) == 1 {
		what = text.Sanitize(filepath.Base(req.Paths[0]))
	}
	return uikit.NewMenu(env, "Upload "+what+" to…", items).WithCursor(cursor).WithOnClose(skipped(pathsWhat(req.Paths)))
}

// refusals says, per target name, why it cannot take the request: every
// path is a file it refuses (too large, a kind it does not accept). A
// directory, or a file that cannot be read, is not judged here: its
// files are checked one by one once walked. A target without a key is
// not refused here: uploadToMenu greys it out in cloud mode (NeedsKey).
func refusals(targets uikit.Targets, paths []string) map[string]string {
	type file struct {
		name string
		size int64
		head []byte
	}
	var files []file
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			files = nil
			break
		}
		head, err := readHead(p)
		if err != nil {
			files = nil
			break
		}
		files = append(files, file{name: text.Sanitize(filepath.Base(p)), size: fi.Size(), head: head})
	}
	out := map[string]string{}
	if len(files) == 0 {
		return out
	}
	for i := range targets.Len() {
		tc := targets.Conn(i)
		var first string
		for _, f := range files {
			err := tc.Caps.Check(tc.Title, f.size, f.head, hosts.UploadOptions{})
			if err == nil {
				first = ""
				break
			}
			if first == "" {
				first = strings.TrimPrefix(hostsReason(err), tc.Title+": ")
				if len(files) > 1 {
					first = fmt.Sprintf("none of the %d files (%s: %s)", len(files), f.name, first)
				}
			}
		}
		if first != "" {
			out[tc.Name] = first
		}
	}
	return out
}

// onUploadTo remembers the choice; the files are walked and checked
// next, and the target's options asked last.
func (t *Panel) onUploadTo(msg uploadToMsg) tea.Cmd {
	t.uploadTo = msg.name
	return t.steps.Start(uikit.Emit(t.destined(msg.req, uploadDest{target: msg.name, ask: true})))
}

// expiryPresets are offered for targets with a continuous expiry range
// (ImgBB: 60 s to 180 days), each only when the target allows it.
var expiryPresets = []time.Duration{time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 180 * 24 * time.Hour}

// askUploadOpts asks the next option the target has (expiry, then
// privacy) when it was chosen from the menu and some file can still go,
// then queues the files.
func (t *Panel) askUploadOpts(o uploadOptsMsg) tea.Cmd {
	queue := func() tea.Cmd { return t.steps.Start(uikit.Emit(queueUploadMsg{files: o.files, dest: o.dest})) }
	if !o.dest.ask || !o.dest.host() || !anySendable(o.files) {
		return queue()
	}
	tc, ok := t.targets.Named(o.dest.target)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(o.dest.target)})
	}
	title := text.Sanitize(tc.Title)
	if o.step == 0 {
		o.step = 1
		if tc.Caps.Expiry.Supported() {
			return uikit.Open(uikit.NewMenu(t.env, "Upload to "+title+": delete automatically after…", expiryItems(tc.Caps.Expiry, o)).
				WithOnClose(skipped(o.dest.what)))
		}
	}
	if o.step == 1 {
		o.step = 2
		if tc.Caps.Privacy {
			pub, unl, priv := o, o, o
			unl.dest.opts.Privacy, priv.dest.opts.Privacy = hosts.Unlisted, hosts.Private
			// A service may take private uploads only from a logged-in
			// account; its refusal then says so on the row.
			return uikit.Open(uikit.NewMenu(t.env, "Upload to "+title+": visibility", []uikit.MenuItem{
				{Key: "p", Label: "public (listed)", Msg: pub},
				{Key: "u", Label: "unlisted (only people with the link)", Msg: unl},
				{Key: "v", Label: "private (only you; needs the account's login)", Msg: priv},
			}).WithOnClose(skipped(o.dest.what)))
		}
	}
	return queue()
}

// anySendable reports whether some file passed the checks (the others
// become failed rows saying why, options or not).
func anySendable(files []transfer.UploadFile) bool {
	for _, f := range files {
		if f.Err == "" {
			return true
		}
	}
	return false
}

// expiryItems are "never" and every offered duration.
func expiryItems(rule hosts.ExpiryRule, o uploadOptsMsg) []uikit.MenuItem {
	items := []uikit.MenuItem{{Key: "n", Label: "never", Msg: o}}
	ds := rule.Choices
	if len(ds) == 0 {
		ds = expiryPresets
	}
	for _, d := range ds {
		if d == 0 || !rule.Allows(d) {
			continue
		}
		c := o
		c.dest.opts.Expiry = d
		items = append(items, uikit.MenuItem{Key: uikit.MenuKey(len(items) - 1), Label: humanDuration(d), Msg: c})
	}
	return items
}

// humanDuration words an expiry: "10 minutes", "1 day", "6 months".
func humanDuration(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d >= 365*day && d%(365*day) == 0:
		return text.CountOf(int(d/(365*day)), "year")
	case d >= 28*day && d%(30*day) == 0 && d < 365*day:
		return text.CountOf(int(d/(30*day)), "month")
	case d >= 7*day && d%(7*day) == 0 && d < 28*day:
		return text.CountOf(int(d/(7*day)), "week")
	case d >= day && d%day == 0:
		return text.CountOf(int(d/day), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return text.CountOf(int(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return text.CountOf(int(d/time.Minute), "minute")
	}
	return d.String()
}

// checkCaps refuses, per file and before any byte is sent, what the target
// cannot take (kind, size, options): the file keeps its reason in Err and
// becomes a failed row saying it. It reads each file's first bytes, so it
// runs in the expanding command.
func checkCaps(tc uikit.TargetConn, files []transfer.UploadFile, opts hosts.UploadOptions) []transfer.UploadFile {
	for i, f := range files {
		if f.Err != "" {
			continue
		}
		head, err := readHead(f.Path)
		if err != nil {
			files[i].Err = text.FSError(err, true)
			continue
		}
		if err := tc.Caps.Check(tc.Title, f.Size, head, opts); err != nil {
			files[i].Err = hostsReason(err)
		}
	}
	return files
}

// hostsReason is a refusal worded for a person ("ImgBB: accepts images
// only").
func hostsReason(err error) string {
	return text.Reply(hosts.Describe(err))
}

// readHead reads up to hosts.SniffLen bytes of a file.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, hosts.SniffLen)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:n], nil
}

// hostTarget is the engine target of an upload to a target other than
// the engine's own: its client, and the ledger bound to its scope as
// journal and record of finished uploads.
func hostTarget(l uikit.Ledger, tc uikit.TargetConn, opts hosts.UploadOptions) transfer.Target {
	t := EngineTarget(l, tc)
	t.UploadOptions = opts
	return t
}

// addUploads queues msg's files with the engine: to the root target
// through its own target, elsewhere to the chosen target with its options.
func (t *Panel) addUploads(msg queueUploadMsg) error {
	name := groupName(msg.files)
	if !msg.dest.host() {
		_, err := t.eng.AddUploads(name, msg.files)
		return err
	}
	tc, ok := t.targets.Named(msg.dest.target)
	if !ok {
		return fmt.Errorf("unknown target %s", text.Sanitize(msg.dest.target))
	}
	_, err := t.eng.AddUploadsTo(hostTarget(t.env.Ledger(), tc, msg.dest.opts), name, msg.files)
	return err
}

// uploadedText reports a finished upload: its handle on the root target,
// or the target it went to and its URL.
func (t *Panel) uploadedText(j transfer.JobSnapshot) string {
	if t.targets.IsRoot(j.Target) {
		return fmt.Sprintf("uploaded %s as %s", text.Sanitize(j.Name), text.Sanitize(j.Handle))
	}
	at := j.URL
	if at == "" {
		at = j.Handle
	}
	return fmt.Sprintf("uploaded %s to %s: %s", text.Sanitize(j.Name), text.Sanitize(t.targets.Title(j.Target)), text.Sanitize(at))
}
