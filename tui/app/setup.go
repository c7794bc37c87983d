package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"headshot/imageprep/textsafe"
	"headshot/tui/common"
	"headshot/tui/doctor"
	"headshot/tui/graphics"
	"headshot/tui/setup"
	"headshot/upload/config"
)

// Setup is `headshot setup`: guided set-up of platforms and credentials,
// editing the existing config if there is one.
func Setup(g Globals, stdout, stderr io.Writer) int {
	path := config.Resolve(g.Config)
	cfg, err := config.Load(path)
	if err != nil && !config.IsNotExist(err) {
		fmt.Fprintf(stderr, "headshot setup: %s\n\nSetup will not overwrite a file it cannot read: fix the line above, or move the file away and run setup again.\n", textsafe.CleanN(err.Error(), 2000))
		return 1
	}
	saved, err := RunSetup(cfg, path, g.Color)
	if err != nil {
		fmt.Fprintln(stderr, "headshot setup:", err)
		return 1
	}
	if saved == nil {
		fmt.Fprintln(stdout, "Setup left without saving; nothing was written.")
		return 0
	}
	fmt.Fprintf(stdout, "Saved %s (mode 0600).\nNext: `headshot doctor` checks every platform; `headshot DIR` opens the photo browser.\n", textsafe.Clean(path))
	return 0
}

// RunSetup runs guided setup full-screen on the terminal, editing cfg (nil:
// a new config) and saving to path. It returns the saved config, or nil if
// the technician left without saving. The browser calls it when there is
// no config yet.
func RunSetup(cfg *config.Config, path string, mode common.ColorMode) (*config.Config, error) {
	host := newSetupHost(setup.New(cfg, path, common.NewCommon(mode)), common.NewCommon(mode))
	if _, err := tea.NewProgram(host, tea.WithAltScreen()).Run(); err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	if host.done != nil && host.done.Saved {
		return host.done.Config, nil
	}
	return nil, nil
}

// setupHost runs the setup component on its own: it sizes it, draws the
// help bar and quits when setup is done or the technician quits.
type setupHost struct {
	setup  *setup.Model
	common common.Common
	help   help.Model
	full   bool
	height int
	done   *setup.DoneMsg
	// confirm is set while asking whether to quit with unsaved changes.
	confirm bool
}

func newSetupHost(m *setup.Model, c common.Common) *setupHost {
	h := &setupHost{setup: m, common: c, help: help.New()}
	h.help.Styles.ShortKey, h.help.Styles.ShortDesc = c.Styles.HelpKey, c.Styles.HelpDesc
	h.help.Styles.FullKey, h.help.Styles.FullDesc = c.Styles.HelpKey, c.Styles.HelpDesc
	h.help.Styles.ShortSeparator, h.help.Styles.FullSeparator = c.Styles.HelpSep, c.Styles.HelpSep
	return h
}

func (h *setupHost) Init() tea.Cmd { return h.setup.Init() }

func (h *setupHost) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.help.Width, h.height = msg.Width, msg.Height
		h.setup.SetSize(msg.Width, msg.Height-1)
		return h, nil
	case setup.DoneMsg:
		h.done = &msg
		return h, tea.Quit
	case tea.KeyMsg:
		keys := h.common.Keys
		if h.confirm {
			switch {
			case key.Matches(msg, keys.Confirm, keys.Interrupt):
				return h, tea.Quit
			case key.Matches(msg, keys.Deny):
				h.confirm = false
				return h, nil
			case key.Matches(msg, keys.SaveSetup):
				h.confirm = false
				return h, h.setup.Update(msg)
			}
			return h, nil
		}
		if key.Matches(msg, keys.Interrupt) {
			return h, h.quit()
		}
		if !h.setup.Capturing() {
			switch {
			case key.Matches(msg, keys.Quit):
				return h, h.quit()
			case key.Matches(msg, keys.Help):
				h.full = !h.full
				return h, nil
			}
		}
	}
	return h, h.setup.Update(msg)
}

// quit leaves at once when nothing changed; otherwise it asks first, so a
// stray q or ctrl+c does not throw away minutes of typed credentials.
func (h *setupHost) quit() tea.Cmd {
	if !h.setup.Unsaved() {
		return tea.Quit
	}
	h.confirm = true
	return nil
}

func (h *setupHost) View() string {
	w := h.help.Width
	bar := h.help.ShortHelpView(h.setup.ShortHelp())
	if h.full {
		bar = h.help.FullHelpView(h.setup.FullHelp())
	}
	if h.confirm {
		q := h.common.Styles.Warn.Render("Quit without saving your changes?")
		keys := h.help.ShortHelpView(h.confirmKeys())
		bar = q + " " + keys
		if w > 0 && lipgloss.Width(bar) > w {
			bar = q + "\n" + keys // narrow: the question and its keys each whole
		}
	}
	// The help bar on the bottom line(s); a body taller than the rest of
	// the screen gives up its blank lines, then its last ones, so the
	// terminal does not scroll its top (the title) away.
	body := fitRows(strings.Split(h.setup.View(), "\n"), h.height-lipgloss.Height(bar))
	lines := append(body, strings.Split(bar, "\n")...)
	for i, l := range lines {
		lines[i] = common.Truncate(l, w)
	}
	return strings.Join(lines, "\n")
}

// fitRows makes lines exactly rows long (rows <= 0: as they are): short
// ones are padded with blank lines; long ones lose blank lines from the
// bottom up, then their last lines.
func fitRows(lines []string, rows int) []string {
	if rows <= 0 {
		return lines
	}
	for i := len(lines) - 1; i >= 0 && len(lines) > rows; i-- {
		if strings.TrimSpace(ansi.Strip(lines[i])) == "" {
			lines = append(lines[:i], lines[i+1:]...)
		}
	}
	if len(lines) > rows {
		lines = lines[:rows]
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	return lines
}

// DoctorOptions are `headshot doctor`'s flags.
type DoctorOptions struct {
	Timeout    time.Duration // how long each platform may take to answer
	ShowConfig bool          // also print the config as read (secrets as set/missing)
}

// Doctor is `headshot doctor`: it checks the config, every platform's
// credentials and connectivity, the journal and the terminal, prints what
// to fix, and exits 1 if anything is wrong.
func Doctor(g Globals, o DoctorOptions, stdout, stderr io.Writer) int {
	path := config.Resolve(g.Config)
	if o.ShowConfig {
		if cfg, err := config.Load(path); err == nil {
			fmt.Fprintf(stdout, "Config %s:\n%s\n", textsafe.Clean(path), cfg.Redacted())
		}
	}
	if o.Timeout <= 0 {
		fmt.Fprintln(stderr, "headshot doctor: --timeout must be positive")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout+5*time.Second)
	defer cancel()
	findings := doctor.Run(ctx, doctor.Options{
		ConfigPath: path,
		Journal:    g.Journal,
		Timeout:    o.Timeout,
		TerminalSize: func() (int, int, bool) {
			if !term.IsTerminal(os.Stdout.Fd()) {
				return 0, 0, false
			}
			w, h, err := term.GetSize(os.Stdout.Fd())
			return w, h, err == nil
		},
		Graphics: func() (graphics.Caps, bool) {
			if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
				return graphics.Caps{}, false
			}
			c, err := graphics.Detect(os.Stdin, os.Stdout, 400*time.Millisecond, os.Getenv)
			return c, err == nil
		},
	})
	width := 0
	if stdout == io.Writer(os.Stdout) && term.IsTerminal(os.Stdout.Fd()) {
		if w, _, err := term.GetSize(os.Stdout.Fd()); err == nil {
			width = w
		}
	}
	if doctor.PrintWidth(stdout, findings, width) > 0 {
		return 1
	}
	return 0
}

// confirmKeys are the answers to the unsaved-changes question, from the
// keymap with this question's words.
func (h *setupHost) confirmKeys() []key.Binding {
	k := h.common.Keys
	return []key.Binding{common.Relabel(k.Confirm, k.Confirm.Help().Key, "quit"),
		common.Relabel(k.Deny, k.Deny.Help().Key, "stay"), k.SaveSetup}
}
