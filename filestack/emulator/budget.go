package emulator

import (
	"bytes"
	"context"
	"image"
	"io"
	"net/http"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// Processing is admitted in two gates, both taken before the source is
// read: a slot (one per CPU, so CPU-bound work does not thrash) and its
// share of the memory budget, priced by planCost from the source's header.
// A request waits at most QueueWait at either gate, then gets 503 with
// Retry-After. Every gate and every step also watches the request context,
// so a client going away, the processing time limit or a shutdown stops
// the work between steps.

// processContext bounds the work of a processing request (queueing,
// reading the source, every step) by ProcessTimeout; cache hits skip it.
// Its cause is the 504 answered when the time runs out.
func (s *Server) processContext(r *http.Request) (*http.Request, context.CancelFunc) {
	ctx, cancel := context.WithTimeoutCause(r.Context(), s.opts.ProcessTimeout, s.tooLong)
	return r.WithContext(ctx), cancel
}

// stopped returns why processing must stop, or nil to go on.
func stopped(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	if ae, ok := context.Cause(ctx).(*apiError); ok {
		return ae
	}
	return errorf(http.StatusServiceUnavailable, "processing stopped: the client went away or the server is shutting down")
}

// busy is the answer when a gate stays closed for QueueWait.
func (s *Server) busy() *apiError {
	e := errorf(http.StatusServiceUnavailable, "the server is busy processing other requests; retry shortly")
	e.retryAfter = max(1, int(s.opts.QueueWait/time.Second))
	return e
}

// ticket is what admission took: a processing slot and a share of the
// memory budget.
type ticket struct {
	s   *Server
	rsv *reservation
	// webp: auto_image may answer WebP (the client takes it, and the
	// budget allows it; else it answers in the source's format).
	webp bool
}

// free gives back the slot and all the memory.
func (t *ticket) free() {
	t.rsv.release()
	<-t.s.procSem
}

// settleFor ends the ticket once the work is over: handOver to res when
// there is one, else free.
func (t *ticket) settleFor(res *result) {
	if res == nil {
		t.free()
		return
	}
	t.handOver(res)
}

// handOver frees the slot and the memory the work needed, but for what
// the result's body takes: res holds that until it has been written
// (res.close), like a passed-through source, so the budget does not
// undercount while a large result goes out to a slow client.
func (t *ticket) handOver(res *result) {
	if kept := t.rsv.shrink(int64(len(res.body))); kept > 0 {
		rsv, prev := t.rsv, res.release
		res.release = func() {
			rsv.release()
			if prev != nil {
				prev()
			}
		}
	}
	<-t.s.procSem
}

// admit takes a slot and the chain's memory, then loads the source.
func (s *Server) admit(r *http.Request, c transform.Chain, cr creds, src string) (*input, *ticket, error) {
	if transform.IsExternal(src) {
		return s.admitExternal(r, c, cr, src)
	}
	ctx := r.Context()
	qctx, cancel := context.WithTimeoutCause(ctx, s.opts.QueueWait, s.busy())
	defer cancel()
	if err := s.takeSlot(qctx); err != nil {
		return nil, nil, err
	}
	t := &ticket{s: s, rsv: &reservation{s: s}}
	hdr, err := s.storedHeader(c, src)
	var p plan
	if err == nil {
		p, err = s.chainCost(hdr, c, cr, acceptsWebP(r))
	}
	if err == nil {
		err = s.reserve(qctx, p.cost)
	}
	var in *input
	if err == nil {
		t.rsv.held, t.webp = p.cost, p.webp
		in, err = s.openSource(r, cr, src)
	}
	if err != nil {
		t.free()
		return nil, nil, err
	}
	return in, t, nil
}

// admitExternal admits a chain whose source is a URL. Its size is only
// known once fetched, so the fetch reserves memory as the bytes arrive
// (fetchReserved); the fetch runs without a CPU slot (it waits on the
// network, and its time does not count against the queue wait); then
// the reservation is settled to the chain's price and a slot is taken,
// each gate with a fresh QueueWait.
func (s *Server) admitExternal(r *http.Request, c transform.Chain, cr creds, src string) (*input, *ticket, error) {
	in, rsv, err := s.fetchReserved(r, cr, src)
	if err != nil {
		return nil, nil, err
	}
	hdr := srcHeader{size: int64(len(in.data))}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(in.data)); err == nil {
		hdr = headerOf(cfg, format, hdr.size, in.data[:min(len(in.data), headSize)])
	}
	p, err := s.chainCost(hdr, c, cr, acceptsWebP(r))
	if err == nil {
		err = rsv.settle(r.Context(), p.cost)
	}
	if err == nil {
		err = s.queued(r.Context(), s.takeSlot)
	}
	if err != nil {
		rsv.release()
		return nil, nil, err
	}
	return in, &ticket{s: s, rsv: rsv, webp: p.webp}, nil
}

// fetchReserved fetches an external source with its memory reserved as
// it arrives; it returns the source and its reservation, which then holds
// the source's size.
func (s *Server) fetchReserved(r *http.Request, cr creds, src string) (*input, *reservation, error) {
	rsv := &reservation{s: s}
	in, err := s.fetchSource(r, cr, src, rsv)
	if err != nil {
		rsv.release()
		return nil, nil, err
	}
	rsv.shrink(int64(len(in.data)))
	return in, rsv, nil
}

// queued runs one gate with its own QueueWait.
func (s *Server) queued(ctx context.Context, gate func(context.Context) error) error {
	qctx, cancel := context.WithTimeoutCause(ctx, s.opts.QueueWait, s.busy())
	defer cancel()
	return gate(qctx)
}

// takeSlot waits for a processing slot.
func (s *Server) takeSlot(qctx context.Context) error {
	select {
	case s.procSem <- struct{}{}:
		return nil
	case <-qctx.Done():
		return stopped(qctx)
	}
}

// storedHeader prices a stored source without reading it: its size and
// image header.
func (s *Server) storedHeader(c transform.Chain, src string) (srcHeader, error) {
	f, m, err := s.store.open(src)
	if err != nil {
		return srcHeader{}, err
	}
	defer f.Close()
	if m.Size > s.opts.MaxProcessInput {
		return srcHeader{}, errorf(http.StatusBadRequest, "file is larger than the %d-byte processing limit", s.opts.MaxProcessInput)
	}
	hdr := srcHeader{size: m.Size}
	if needsPixels(c) {
		head := make([]byte, min(m.Size, headSize))
		n, _ := io.ReadFull(f, head)
		if cfg, format, err := image.DecodeConfig(bytes.NewReader(head[:n])); err == nil {
			hdr = headerOf(cfg, format, m.Size, head[:n])
		} else if _, err := f.Seek(0, io.SeekStart); err == nil {
			// A header past headSize (a TIFF's directory at the end).
			if cfg, format, err := image.DecodeConfig(f); err == nil {
				hdr = headerOf(cfg, format, m.Size, head[:n])
			}
		}
	}
	return hdr, nil
}

// plan is what admission decided: the price, and whether auto_image may
// answer WebP.
type plan struct {
	cost int64
	webp bool
}

// chainCost plans the chain; with EXIF rotation the orientation is only
// known after decoding, so both are priced and the dearer one counts.
// webp says the client takes WebP: when auto_image would then encode a
// WebP the budget cannot hold (nativewebp needs about 50 bytes a pixel),
// the chain answers in the source's format instead, if that fits.
func (s *Server) chainCost(hdr srcHeader, c transform.Chain, cr creds, webp bool) (plan, error) {
	p := plan{webp: webp}
	cost, err := s.priceAs(hdr, c, cr, webp)
	if err == nil && cost > s.opts.MemoryBudget && webp && hasTask(c, "auto_image") {
		if plain, err2 := s.priceAs(hdr, c, cr, false); err2 == nil && plain <= s.opts.MemoryBudget {
			cost, p.webp = plain, false
		}
	}
	if err == nil && cost > s.opts.MemoryBudget {
		enc := outputEncoding(c, hdr.format, p.webp)
		err = errorf(http.StatusBadRequest, "processing this %d×%d image (%s output) needs about %d MiB, more than the server's %d MiB processing memory budget; "+
			"resize it first, or raise --memory-budget", hdr.dims.w, hdr.dims.h, enc.format, cost>>20, s.opts.MemoryBudget>>20)
	}
	p.cost = cost
	return p, err
}

// priceAs prices the chain for one choice of auto_image's WebP.
func (s *Server) priceAs(hdr srcHeader, c transform.Chain, cr creds, webp bool) (int64, error) {
	wm := func(t transform.Task, base dims) int64 { return s.watermarkCost(cr, t, base) }
	enc := outputEncoding(c, hdr.format, webp)
	if hasTask(c, "imagesize") {
		enc.format = "" // answered as JSON, nothing is encoded
	}
	cost, err := planCost(hdr, c, s.opts.MaxImagePixels, enc, wm)
	if wantsEXIFRotation(c) && hdr.ok {
		turned := hdr
		turned.dims = dims{hdr.dims.h, hdr.dims.w}
		if cost2, err2 := planCost(turned, c, s.opts.MaxImagePixels, enc, wm); err2 == nil {
			cost, err = max(cost, cost2), nil
		}
	}
	return cost, err
}

// watermarkCost prices a watermark step's overlay: its file, its decoded
// pixels and its resized copy. A file that cannot be read, or that the
// credentials do not cover, costs nothing here; the step itself reports it.
func (s *Server) watermarkCost(cr creds, t transform.Task, base dims) int64 {
	if t.Name != "watermark" || !transform.ValidHandle(t.String("file", "")) || s.authorizeSource(cr, t.String("file", "")) != nil {
		return 0
	}
	f, m, err := s.store.open(t.String("file", ""))
	if err != nil {
		return 0
	}
	defer f.Close()
	head := make([]byte, min(m.Size, headSize))
	n, _ := io.ReadFull(f, head)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(head[:n]))
	if err != nil {
		return 0
	}
	wm := headerOf(cfg, format, m.Size, head[:n])
	cost := wm.size + wm.pixel + wm.work
	if size := int64(t.Int("size", 0)); size > 0 && wm.dims.w > 0 {
		// Resized with Lanczos: the horizontal pass (new width × old
		// height), then the result.
		w := max(1, base.w*size/100)
		cost += 4*w*wm.dims.h + 4*w*max(1, wm.dims.h*w/wm.dims.w)
	}
	return cost
}

// reserve waits for cost bytes of the memory budget.
func (s *Server) reserve(ctx context.Context, cost int64) error {
	if err := s.mem.Acquire(ctx, cost); err != nil {
		return stopped(ctx)
	}
	return nil
}

// admitZip takes a slot and prices a zip's stored sources twice over
// (read, then compressed into the archive buffer); an external source is
// priced as it arrives (zipItem).
func (s *Server) admitZip(r *http.Request, items []string) (*ticket, error) {
	qctx, cancel := context.WithTimeoutCause(r.Context(), s.opts.QueueWait, s.busy())
	defer cancel()
	select {
	case s.procSem <- struct{}{}:
	case <-qctx.Done():
		return nil, stopped(qctx)
	}
	var total int64
	for _, it := range items {
		if transform.IsExternal(it) {
			continue
		}
		if m, err := s.store.loadMeta(it); err == nil {
			total += m.Size
		}
	}
	cost := min(2*min(total, s.opts.MaxProcessInput), s.opts.MemoryBudget)
	if err := s.reserve(qctx, cost); err != nil {
		<-s.procSem
		return nil, err
	}
	return &ticket{s: s, rsv: &reservation{s: s, held: cost}}, nil
}
