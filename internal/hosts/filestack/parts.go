package filestack

import (
	"context"
	"encoding/json"

	fsc "github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
)

// UploadParts implements hosts.PartUploader through the client's Upload:
// a simple store up to its SimpleMax (unless intelligent), the multipart
// Upload API beyond, its session handed on after the start and every part.
func (t *Target) UploadParts(ctx context.Context, path string, opts hosts.PartOptions) (hosts.Result, error) {
	f, err := t.c.Upload(ctx, path, t.partOptions(opts))
	return t.result(f, err)
}

// ResumeParts implements hosts.PartUploader through the client's Resume.
func (t *Target) ResumeParts(ctx context.Context, path string, s hosts.Session, opts hosts.PartOptions) (hosts.Result, error) {
	var fs fsc.Session
	if err := json.Unmarshal([]byte(s.Journal), &fs); err != nil {
		return hosts.Result{}, err
	}
	f, err := t.c.Resume(ctx, path, fs, t.partOptions(opts))
	return t.result(f, err)
}

// ReadSession implements hosts.PartUploader: a journaled session is a
// filestack.Session as JSON (as fsdeck has always journaled it).
func (t *Target) ReadSession(journaled string) (hosts.Session, error) {
	var fs fsc.Session
	if err := json.Unmarshal([]byte(journaled), &fs); err != nil {
		return hosts.Session{}, err
	}
	return session(fs, journaled), nil
}

// session is fs as the contract carries it, journaled as given.
func session(fs fsc.Session, journaled string) hosts.Session {
	s := hosts.Session{Journal: journaled, StorePath: fs.Store.Path, PartSize: fs.PartSize, Parts: fs.NumParts()}
	for _, p := range fs.Parts {
		s.Done = append(s.Done, hosts.DonePart{Number: p.Number, Size: p.Size})
	}
	return s
}

// partOptions are the client's options for a part upload: the target's
// storage at the upload's store path, its events and sessions passed on.
func (t *Target) partOptions(opts hosts.PartOptions) fsc.UploadOptions {
	st := t.o.Store
	st.Path = opts.StorePath
	uo := fsc.UploadOptions{Store: st, PartConcurrency: opts.Concurrency, Intelligent: t.o.Intelligent}
	if p := opts.Progress; p != nil {
		uo.Progress = func(ev fsc.Event) { p(event(ev)) }
	}
	if on := opts.OnSession; on != nil {
		uo.OnSession = func(fs fsc.Session) {
			b, err := json.Marshal(fs)
			if err != nil {
				b = nil // the engine says the session could not be journaled
			}
			on(session(fs, string(b)))
		}
	}
	return uo
}

// kinds maps the client's events onto the contract's.
var kinds = map[fsc.EventKind]hosts.PartEventKind{
	fsc.EventStarted:     hosts.UploadStarted,
	fsc.EventPartStarted: hosts.PartStarted,
	fsc.EventProgress:    hosts.PartProgress,
	fsc.EventPartDone:    hosts.PartDone,
	fsc.EventRetry:       hosts.PartRetry,
	fsc.EventChunkSize:   hosts.ChunkSize,
	fsc.EventRestarted:   hosts.UploadRestarted,
	fsc.EventDone:        hosts.UploadDone,
}

// event is a client event as the contract reports it.
func event(ev fsc.Event) hosts.PartEvent {
	k, ok := kinds[ev.Kind]
	if !ok {
		k = -1 // an event the contract does not know: ignored by its readers
	}
	return hosts.PartEvent{Kind: k, Part: ev.Part, Parts: ev.Parts, Size: ev.Size, Sent: ev.Sent, Total: ev.Total,
		Attempt: ev.Attempt, Attempts: ev.Attempts, Wait: ev.Wait, Err: ev.Err, Reason: ev.Reason}
}
