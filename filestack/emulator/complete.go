package emulator

import (
	"errors"
	"net/http"
	"os"
	"time"
)

// mpComplete validates the parts, then assembles in the background and
// waits up to CompleteWait; if assembly is still running it answers 202 and
// the client repeats the call, exactly as Filestack asks clients to. The
// policy is checked first, also for a repeated complete of a finished
// upload, whose answer names the stored file.
func (s *Server) mpComplete(r *http.Request, q *upReq) (int, any, error) {
	sess, err := s.sessions.load(q)
	if err != nil {
		return 0, nil, err
	}
	if err := s.authorizeUpload(q, sess.Size, sess.Store); err != nil {
		return 0, nil, err
	}
	if res, ok := s.sessions.result(sess.UploadID); ok {
		return http.StatusOK, res, nil
	}
	if q.HasSize && q.Size != sess.Size {
		return 0, nil, errorf(http.StatusBadRequest, "size mismatch: complete says %d bytes, start said %d", q.Size, sess.Size)
	}
	c, err := s.startCompletion(r, sess, q)
	if errors.Is(err, errPartsInFlight) {
		return http.StatusAccepted, map[string]any{}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	select {
	case <-c.done:
	case <-time.After(s.opts.CompleteWait):
		return http.StatusAccepted, map[string]any{}, nil
	case <-r.Context().Done():
		return http.StatusAccepted, map[string]any{}, nil
	}
	if c.err != nil {
		s.sessions.mu.Lock()
		delete(s.sessions.running, sess.UploadID)
		s.sessions.mu.Unlock()
		return 0, nil, c.err
	}
	return http.StatusOK, c.res, nil
}

// errPartsInFlight defers complete while part PUTs still write: the client
// repeats the call, as after any 202.
var errPartsInFlight = errors.New("parts are still being uploaded")

// startCompletion returns the running assembly for this upload or starts
// one; the plan is checked first so mistakes are reported at once. While it
// runs, beginPut refuses new parts, so none can change the file it
// publishes.
func (s *Server) startCompletion(r *http.Request, sess *session, q *upReq) (*completion, error) {
	ss := s.sessions
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if c, ok := ss.running[sess.UploadID]; ok {
		return c, nil
	}
	if ss.busy(sess.UploadID) {
		return nil, errPartsInFlight
	}
	pieces, err := ss.plan(sess, q, s.opts.MinPartSize)
	if err != nil {
		return nil, err
	}
	filename, mimetype := sess.Filename, sess.Mimetype
	if q.Filename != "" {
		filename = q.Filename
	}
	if q.Mimetype != "" {
		mimetype = q.Mimetype
	}
	base := s.cdnBase(r)
	c := &completion{done: make(chan struct{})}
	ss.running[sess.UploadID] = c
	ss.wg.Add(1)
	go func() {
		defer ss.wg.Done()
		defer close(c.done)
		c.res, c.err = s.assembleAndStore(sess, pieces, filename, mimetype, base)
		if c.err == nil {
			ss.mu.Lock()
			delete(ss.running, sess.UploadID)
			ss.mu.Unlock()
		}
	}()
	return c, nil
}

// assembleAndStore stores the data file as it is when every part already
// lies where it belongs (O(1) in the file size), else joins the pieces into
// a new file, and records the answer that complete gives from now on.
func (s *Server) assembleAndStore(sess *session, pieces []piece, filename, mimetype, base string) (map[string]any, error) {
	ss := s.sessions
	var tmp string
	var head []byte
	var err error
	fresh := !inPlace(ss.dir(sess.UploadID), pieces)
	if !fresh {
		tmp, head, err = ss.finishInPlace(sess.UploadID)
	} else {
		err = ss.ds.withRoom(func() (err error) {
			tmp, head, err = ss.assemble(pieces)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	opts := sess.Store
	opts.Filename, opts.Mimetype = filename, mimetype
	m := opts.meta()
	m.UploadTags, m.Workflows = sess.Tags, sess.Workflows
	m, err = s.store.commit(tmp, sess.Size, head, m)
	if err != nil {
		if fresh {
			os.Remove(tmp)
		}
		return nil, err
	}
	res := map[string]any{"handle": m.Handle, "url": base + "/" + m.Handle, "filename": m.Filename,
		"size": m.Size, "mimetype": m.Mimetype, "status": "Stored", "key": m.Key}
	if m.Container != "" {
		res["container"] = m.Container
	}
	if len(m.UploadTags) > 0 {
		res["upload_tags"] = m.UploadTags
	}
	if len(m.Workflows) > 0 {
		res["workflows"] = m.Workflows
	}
	ss.finish(sess, res)
	return res, nil
}
