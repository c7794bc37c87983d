package tui

import (
	"fmt"
	"os"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/failures"
	"headshot/tui/graphics"
	"headshot/tui/panes"
	"headshot/upload"
	"headshot/upload/cli"
	"headshot/upload/engine"
	"headshot/upload/journal"
	"headshot/upload/people"
)

// Options configure the root model.
type Options struct {
	// Dir is the folder to browse ("" = current directory).
	Dir string
	// Focus is a file in Dir to put the browser's cursor on ("": the first).
	Focus string
	// Color is the colour mode (see common.DetectColorMode / ParseColorMode).
	Color common.ColorMode
	// Graphics is how photos are drawn (--graphics, [ui] graphics); Run
	// asks the terminal when it is auto. Gfx, when set, is used as is
	// (tests and benchmarks).
	Graphics graphics.Choice
	Gfx      *graphics.Screen
	// Clients are the configured platforms (their order is the column
	// order in the browser and the pane order).
	Clients []upload.Client
	// Prep says how photos are prepared (crop method, output profile).
	Prep imageprep.Options
	// Journal records uploads and crop corrections (nil: none kept).
	Journal *journal.Journal
	// People remembers whom each person resolved to across runs (nil:
	// everyone is looked up); the caller saves it when the browser ends.
	People *people.Cache
	// Preparer is shared with the engine so a photo previewed is not
	// prepared twice (nil: the TUI makes one).
	Preparer *imageprep.Preparer

	// Notice is shown in the status line at start (e.g. "no config yet").
	Notice string
	// TemporaryJournal says the journal goes when the run ends (the
	// demo's): the line printed after a quit mid-upload then does not
	// send the technician to `headshot history`, which would not have it.
	TemporaryJournal bool

	// NewEngine builds the upload engine on the first upload (nil:
	// engine.New). The root fills cfg from Clients, Prep, Journal and
	// Preparer; a demo or test may wrap or replace it.
	NewEngine func(cfg engine.Config) (*engine.Engine, error)

	// Screens overrides or adds screen components, built with the shared
	// Common (e.g. ScreenUpload: panes.New, ScreenFailures: failures.New).
	// A screen left out gets the built-in component or a placeholder.
	Screens map[common.Screen]func(common.Common) common.Component
}

// Platforms lists the configured platforms in order.
func (o Options) Platforms() []upload.Platform {
	ps := make([]upload.Platform, 0, len(o.Clients))
	for _, c := range o.Clients {
		ps = append(ps, c.Platform())
	}
	return ps
}

func (o *Options) preparer() *imageprep.Preparer {
	if o.Preparer == nil {
		o.Preparer = imageprep.NewPreparer()
	}
	return o.Preparer
}

// New builds the root model.
func New(opts Options) *Model {
	if opts.Dir == "" {
		if wd, err := os.Getwd(); err == nil {
			opts.Dir = wd
		} else {
			opts.Dir = "."
		}
	}
	opts.preparer()
	c := common.NewCommon(opts.Color)
	c.Gfx = opts.Gfx
	m := &Model{common: c, opts: opts, screens: map[common.Screen]common.Component{}, status: common.Sanitize(opts.Notice)}
	if opts.Gfx.RedrawnByTmux() {
		m.tmux = newTmuxWatch()
	}
	m.help = help.New()
	m.help.Styles.ShortKey = c.Styles.HelpKey
	m.help.Styles.ShortDesc = c.Styles.HelpDesc
	m.help.Styles.ShortSeparator = c.Styles.HelpSep
	m.help.Styles.FullKey = c.Styles.HelpKey
	m.help.Styles.FullDesc = c.Styles.HelpDesc
	m.help.Styles.FullSeparator = c.Styles.HelpSep
	m.help.Styles.Ellipsis = c.Styles.HelpSep

	m.screens[common.ScreenBrowse] = newBrowse(c, opts)
	m.screens[common.ScreenCorrect] = newCorrect(c, opts)
	m.screens[common.ScreenUpload] = panes.New(c, opts.Platforms(), nil)
	m.screens[common.ScreenFailures] = failures.New(c, nil, failures.WithJournal(opts.Journal, opts.Platforms()...))
	for s, build := range opts.Screens {
		if build != nil {
			m.screens[s] = build(c)
		}
	}
	return m
}

// detectTimeout bounds the terminal query at start: every terminal
// answers the device attributes within a few milliseconds, even over SSH
// across a continent; one that never answers costs this once.
const detectTimeout = 400 * time.Millisecond

// Run runs the TUI on the terminal until the user quits. Before Bubble
// Tea reads a key, it asks the terminal (once) which images it can show.
func Run(opts Options) error {
	if opts.Gfx == nil {
		opts.Gfx = NewScreen(opts.Graphics, opts.Color)
	}
	m := New(opts)
	// Focus reports tell when tmux (focus-events on) shows the pane again.
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithReportFocus(), tea.WithOutput(opts.Gfx.TTY(os.Stdout)))
	_, err := p.Run()
	opts.Gfx.Release()
	// The engine is closed on quit; this covers the program ending any
	// other way (a signal, a terminal error).
	if m.up != nil {
		m.up.close()
	}
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	if m.engine != nil {
		// Back on the normal screen: what a quit cut short.
		details := "headshot history"
		if opts.TemporaryJournal {
			details = ""
		}
		for _, line := range quitLines(m.engine.Items(), details, m.common.Width) {
			fmt.Fprintln(os.Stdout, line)
		}
	}
	return nil
}

// quitLines is what a quit during uploads cut short (cli.QuitSummary's
// sentence), broken at spaces to the terminal's width (80 when unknown):
// with its counts it is over 90 columns, and a terminal that wraps it cuts
// a number or "headshot history" in two.
func quitLines(items []engine.Item, details string, width int) []string {
	line := cli.QuitSummary(items, details)
	if line == "" {
		return nil
	}
	if width <= 0 {
		width = 80
	}
	return common.Wrap(line, width, 8)
}

// NewScreen asks the terminal on stdin/stdout what it can show (unless
// the choice is a text mode or none, which need no answer) and makes the
// screen for the protocol chosen.
func NewScreen(choice graphics.Choice, color common.ColorMode) *graphics.Screen {
	var caps graphics.Caps
	if choice.Auto || choice.Protocol.Pixels() {
		caps, _ = graphics.Detect(os.Stdin, os.Stdout, detectTimeout, os.Getenv)
	}
	s := graphics.NewScreen(graphics.Choose(caps, choice, color.Images()), caps, os.Stdout)
	if path := os.Getenv(TraceEnv); path != "" {
		if f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			fmt.Fprintf(f, "start %s %+v\n", s.Protocol(), caps)
			s.SetTrace(f) // left open: the process ends with the TUI
		}
	}
	return s
}

// TraceEnv names a file the screen logs every image drawn or erased to.
const TraceEnv = "HEADSHOT_GRAPHICS_TRACE"
