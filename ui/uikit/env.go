package uikit

import (
	"context"
	"io"
	"runtime"
	"time"

	"github.com/fsdeck/fsdeck/internal/clipboard"
)

// Env is the environment every component is built with, the same for the
// whole session: the settings and the key maps and styles built from them,
// the clock, the process environment, the ledger, the program's context
// and the terminal. Nothing changes it once NewEnv has built it; what does
// change (the targets and the one shown, what requests showed of them, the
// upload steps in flight) has one owner each and reaches the others in
// messages (TargetsMsg, ReachMsg, StepMsg).
type Env struct {
	settings Settings
	scoped   ScopedKeys
	styles   Styles
	ledger   Ledger
	now      func() time.Time
	getenv   func(string) string
	ctx      context.Context
	term     io.Writer
	copyEnv  clipboard.Env
	cell     func() CellSize
	graphics PreviewMode
	lookPath func(string) (string, error)
	programs Programs
	goos     string
}

// EnvOptions are what an Env is built from; zero fields take the defaults
// noted.
type EnvOptions struct {
	// Settings are config.toml's (zero fields: the defaults).
	Settings Settings
	Ledger   Ledger
	// Now is the clock (time.Now); Getenv the process environment (an
	// empty one).
	Now    func() time.Time
	Getenv func(string) string
	// Context is the program's (context.Background()).
	Context context.Context
	// Term receives the escape sequences fsdeck writes itself (OSC 52,
	// OSC 9, kitty images): the terminal writer the renderer shares.
	Term io.Writer
	// CopyEnv is where copies look and what they may run (empty: nothing
	// runs, copies can only send OSC 52).
	CopyEnv clipboard.Env
	// CellSize asks the terminal for its cell size in pixels, each time an
	// image is placed (a font change resizes the cells); nil or zero: the
	// 1:2 guess.
	CellSize func() CellSize
	// LookPath finds a program the file preview may run (pdftoppm); nil:
	// none may run.
	LookPath func(string) (string, error)
	// Sixel is true when the terminal's device attributes (DA1) list
	// sixel graphics.
	Sixel bool
	// Programs starts openers, editors and shells (nil: SystemPrograms).
	Programs Programs
	// GOOS picks the system opener and shell (runtime.GOOS).
	GOOS string
}

// NewEnv builds the environment once, for the whole session.
func NewEnv(o EnvOptions) *Env {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.CellSize == nil {
		o.CellSize = func() CellSize { return CellSize{} }
	}
	if o.Programs == nil {
		o.Programs = SystemPrograms()
	}
	if o.GOOS == "" {
		o.GOOS = runtime.GOOS
	}
	s := MergeSettings(o.Settings)
	return &Env{settings: s, scoped: s.Keys.Scoped(), styles: NewStyles(s.Theme), ledger: o.Ledger, now: o.Now,
		getenv: o.Getenv, ctx: o.Context, term: o.Term, copyEnv: o.CopyEnv, cell: o.CellSize,
		graphics: DetectGraphics(o.Getenv, o.Sixel), lookPath: o.LookPath, programs: o.Programs, goos: o.GOOS}
}

// Settings are the session's settings, complete.
func (e *Env) Settings() Settings { return e.settings }

// Keys is the key map as configured (dialogs and global keys use it);
// read it, never change it.
func (e *Env) Keys() *KeyMap { return &e.settings.Keys }

// Scoped are the key maps of the panes, the transfers panel and the
// studio, each without the bindings another action there shadows; read
// them, never change them.
func (e *Env) Scoped() *ScopedKeys { return &e.scoped }

// Styles are the styles built from the theme; read them, never change them.
func (e *Env) Styles() *Styles { return &e.styles }

// Ledger is the local database.
func (e *Env) Ledger() Ledger { return e.ledger }

// Now reads the clock.
func (e *Env) Now() time.Time { return e.now() }

// Getenv reads the process environment.
func (e *Env) Getenv(key string) string { return e.getenv(key) }

// Context is the program's: what runs in the background stops when it ends.
func (e *Env) Context() context.Context { return e.ctx }

// Term is where fsdeck's own escape sequences go (nil: nowhere).
func (e *Env) Term() io.Writer { return e.term }

// CellSize is the terminal's cell size in pixels now (zero: unknown).
func (e *Env) CellSize() CellSize { return e.cell() }

// PreviewMode is how images are drawn at start: config's [preview] mode,
// auto being the protocol detected.
func (e *Env) PreviewMode() PreviewMode { return ChoosePreview(e.settings.Preview, e.graphics) }

// SetSixel records that the terminal said, after the Env was built, that
// it draws sixel (its DA1 reply comes while the interface runs): the
// protocol detected becomes sixel where it was half-blocks.
func (e *Env) SetSixel() {
	if e.graphics == PreviewHalfBlock {
		e.graphics = PreviewSixel
	}
}

// OfferedGraphics is the image protocol p offers besides half-blocks.
func (e *Env) OfferedGraphics() PreviewMode { return OfferedGraphics(e.settings.Preview, e.graphics) }

// LookPath finds a program the preview may run (nil: none may run).
func (e *Env) LookPath() func(string) (string, error) { return e.lookPath }

// Programs starts openers, editors and shells.
func (e *Env) Programs() Programs { return e.programs }

// GOOS is the system whose opener and shell are used.
func (e *Env) GOOS() string { return e.goos }
