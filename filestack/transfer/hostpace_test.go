package transfer_test

import (
	"context"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transfer"
	"github.com/fsdeck/fsdeck/hosts"
)

// pacedHost waits for its pacer before each request, as the real clients
// do, and answers at once.
type pacedHost struct{ pace *hosts.Pacer }

func (p pacedHost) Name() string                     { return "paced" }
func (p pacedHost) Capabilities() hosts.Capabilities { return hosts.Capabilities{} }
func (p pacedHost) Upload(ctx context.Context, f hosts.File, _ hosts.UploadOptions, _ hosts.Progress) (hosts.Result, error) {
	if err := p.pace.Wait(ctx); err != nil {
		return hosts.Result{}, err
	}
	return hosts.Result{Target: "paced", ID: f.Name, Name: f.Name, Size: f.Size, URL: "https://paced.example/" + f.Name}, nil
}

// While the service's pace holds a host upload back, its snapshot says
// until when (a front end shows "waiting …" instead of a transfer that
// does not move); once sent, it no longer does.
func TestHostUploadShowsPaceWait(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := pacedHost{pace: hosts.NewPacer(time.Minute)}
	tg, _ := e.hostTarget(h)
	dir := t.TempDir()
	a, _ := writeFile(t, dir, "a.txt", 10)
	b, _ := writeFile(t, dir, "b.txt", 10)
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, a, b)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "the second upload paced", func(s transfer.Snapshot) bool {
		return len(s.Jobs) == 2 && s.Jobs[0].State == transfer.Done && !s.Jobs[1].PacedUntil.IsZero()
	})
	if until := s.Jobs[1].PacedUntil; until.Before(time.Now().Add(50*time.Second)) || s.Jobs[1].State != transfer.Running {
		t.Fatalf("paced job: %+v", s.Jobs[1])
	}
	if !s.Jobs[0].PacedUntil.IsZero() {
		t.Fatalf("a finished job still says it waits: %+v", s.Jobs[0])
	}
	eng.Cancel(s.Jobs[1].ID)
	j := waitFor(t, eng, "cancelled", allFinished).Jobs[1]
	if j.State != transfer.Cancelled || !j.PacedUntil.IsZero() {
		t.Fatalf("after cancel: %+v", j)
	}
}
