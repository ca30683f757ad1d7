package transfers

import (
	"strconv"
	"strings"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// pendingWork counts the transfers that quitting would stop, by what
// happens to each afterwards, as the engine really keeps them: an upload
// to the engine's own target (the root, Filestack) is journaled once it runs, but only a multipart session lets the
// next start send just the missing parts (a simple store has none and is
// sent again whole); an upload to another service is one request and is
// not journaled at all; a download of the root's partial file is journaled
// and continued with a Range request; a download from another service's
// URL cannot be continued and its partial file is removed; a queued job
// (or a paused one that never ran) has not started, so nothing of it is
// journaled.
type pendingWork struct {
	resumeParts, restartSimple, hostUploads int
	resumeDownloads, hostDownloads, queued  int
	hostNames                               []string // titles of the services in hostUploads/hostDownloads
}

// pendingOf sorts the running and queued jobs of snap.
func (t *Panel) pendingOf(snap transfer.Snapshot) pendingWork {
	var p pendingWork
	seen := map[string]bool{}
	for _, j := range snap.Jobs {
		host := !t.targets.IsRoot(j.Target)
		// A paused job of the root target that ran keeps its journal entry (and
		// is offered next time, as it would be anyway); a paused one
		// that never ran, or any paused job of another service, is lost
		// like a queued one.
		paused := j.State == transfer.Paused && (host || j.Started.IsZero())
		// A paused one that ran is offered next start: it counts with the
		// running ones, as the next start's offer will.
		kept := j.State == transfer.Paused && !paused
		if j.State != transfer.Running && j.State != transfer.Queued && !paused && !kept {
			continue
		}
		if host && !seen[j.Target] {
			seen[j.Target] = true
			p.hostNames = append(p.hostNames, text.Sanitize(t.targets.Title(j.Target)))
		}
		switch {
		case j.Dir != transfer.Upload && j.Dir != transfer.Download:
			// local copies and moves: quitNote
		case host && j.Dir == transfer.Upload:
			p.hostUploads++
		case host:
			p.hostDownloads++
		case j.State == transfer.Queued || paused:
			p.queued++
		case j.Dir == transfer.Download:
			p.resumeDownloads++
		case resumesParts(j):
			p.resumeParts++
		default:
			p.restartSimple++
		}
	}
	return p
}

// resumesParts tells, from what the engine reports of a running Filestack
// upload, whether a multipart session lets the next start send only the
// missing parts: its part strip has several parts, or none yet (a simple
// store reports its one part before it sends a byte, so an upload still
// waiting for its session to open is a multipart one). One part is a
// simple store, which has no session to resume.
func resumesParts(j transfer.JobSnapshot) bool { return len(j.Parts) != 1 }

// QuitLines describe, per kind, what quitting now does to the transfers
// still running, one "• …" line each (none when quitting loses nothing of
// them).
func (t *Panel) QuitLines() []string {
	p := t.pending
	var lines []string
	add := func(n int, one, many string) {
		if n > 0 {
			lines = append(lines, "• "+strconv.Itoa(n)+" "+text.Plural(n, one, many))
		}
	}
	// The engine's own target (the root) journals its uploads.
	own := text.Sanitize(t.targets.Root().Title)
	add(p.resumeParts, own+" upload resumes next time from the journal: only the parts not yet stored are sent.",
		own+" uploads resume next time from the journal: only the parts not yet stored are sent.")
	add(p.restartSimple, "small "+own+" upload (one request) is offered next time but starts over.",
		"small "+own+" uploads (one request each) are offered next time but start over.")
	services := strings.Join(p.hostNames, ", ")
	add(p.hostUploads, "upload to "+services+" is lost: such uploads are one request and not journaled, so upload it again (it starts over).",
		"uploads to "+services+" are lost: such uploads are one request each and not journaled, so upload them again (they start over).")
	add(p.resumeDownloads, "download continues next time from its partial file (from the start if the file changed).",
		"downloads continue next time from their partial files (from the start if a file changed).")
	add(p.hostDownloads, "download from "+services+" is lost with its partial file: download it again.",
		"downloads from "+services+" are lost with their partial files: download them again.")
	add(p.queued, "queued or paused transfer has not started and is not kept: add it again.",
		"queued or paused transfers have not started and are not kept: add them again.")
	if local := t.quitNote(); local != "" {
		lines = append(lines, "•"+local)
	}
	return lines
}

// Preparing is how many upload steps of the panel have not answered yet
// (an upload being walked, checked for duplicates or queued).
func (t *Panel) Preparing() int { return t.steps.InFlight() }
