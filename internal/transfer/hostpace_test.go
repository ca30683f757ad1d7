package transfer_test

import (
	"context"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// pacedHost waits for its pacer before each request, as the real clients
// do, and answers at once.
type pacedHost struct{ pace *hosts.Pacer }

func (p pacedHost) Name() string                     { return "paced" }
func (p pacedHost) Capabilities() hosts.Capabilities { return hosts.Capabilities{} }
func (p pacedHost) Upload(ctx context.Context, f hosts.File, _ hosts.UploadOptions, _ hosts.Progress) (hosts.Result, error) {
	done, err := p.pace.Wait(ctx)
	if err != nil {
		return hosts.Result{}, err
	}
	defer done()
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
	// The two may run side by side: whichever reaches the pacer second
	// waits.
	var done, paced transfer.JobSnapshot
	waitFor(t, eng, "one upload done, the other paced", func(s transfer.Snapshot) bool {
		if len(s.Jobs) != 2 {
			return false
		}
		for i := range s.Jobs {
			if o := s.Jobs[1-i]; s.Jobs[i].State == transfer.Done && !o.PacedUntil.IsZero() {
				done, paced = s.Jobs[i], o
				return true
			}
		}
		return false
	})
	if paced.PacedUntil.Before(time.Now().Add(50*time.Second)) || paced.State != transfer.Running {
		t.Fatalf("paced job: %+v", paced)
	}
	if !done.PacedUntil.IsZero() {
		t.Fatalf("a finished job still says it waits: %+v", done)
	}
	eng.Cancel(paced.ID)
	for _, j := range waitFor(t, eng, "cancelled", allFinished).Jobs {
		if j.ID == paced.ID && (j.State != transfer.Cancelled || !j.PacedUntil.IsZero()) {
			t.Fatalf("after cancel: %+v", j)
		}
	}
}
