package graphics

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"headshot/imageprep/textsafe"
)

// TmuxPassthrough is tmux's allow-passthrough for the current pane ("on",
// "all" or "off"), or "" outside tmux or when tmux cannot be asked.
func TmuxPassthrough(getenv func(string) string) string {
	if getenv("TMUX") == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	args := []string{"show-options", "-Apv", "allow-passthrough"}
	if pane := getenv("TMUX_PANE"); pane != "" {
		args = []string{"show-options", "-Apv", "-t", pane, "allow-passthrough"}
	}
	out, err := exec.CommandContext(ctx, "tmux", args...).Output()
	if err != nil {
		return ""
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		return "off"
	}
	return v
}

// TmuxPaneOffset is where the current pane starts on the outer terminal
// (rows, columns): images sent through passthrough are placed in the
// outer terminal's coordinates. 0, 0 when tmux cannot be asked.
func TmuxPaneOffset(getenv func(string) string) (int, int) {
	p, err := QueryTmuxPane(getenv)
	if err != nil {
		return 0, 0
	}
	return p.Top, p.Left
}

// TmuxPane is the current pane as tmux sees it.
type TmuxPane struct {
	// Shown: its window is the current one of an attached session.
	Shown bool
	// Top, Left are where it starts on the outer terminal (below a
	// status line at the top).
	Top, Left int
	// Look changes whenever tmux had a reason to repaint the pane from
	// its own copy of the cells, which holds no passed-through images:
	// the window shown again, an attach, a resize or move, zoom, copy
	// mode.
	Look string
}

// tmuxPaneFormat is what QueryTmuxPane asks tmux.
const tmuxPaneFormat = "#{window_active} #{session_attached} #{pane_top} #{pane_left} #{status} #{status-position} " +
	"#{pane_width}x#{pane_height} #{window_zoomed_flag} #{pane_in_mode}"

// QueryTmuxPane asks tmux about the current pane (a short-lived tmux
// client: a few milliseconds).
func QueryTmuxPane(getenv func(string) string) (TmuxPane, error) {
	if getenv("TMUX") == "" {
		return TmuxPane{}, errors.New("not inside tmux")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	args := []string{"display-message", "-p"}
	if pane := getenv("TMUX_PANE"); pane != "" {
		args = append(args, "-t", pane)
	}
	out, err := exec.CommandContext(ctx, "tmux", append(args, tmuxPaneFormat)...).Output()
	if err != nil {
		return TmuxPane{}, fmt.Errorf("asking tmux about the pane: %w", err)
	}
	return parseTmuxPane(string(out))
}

// parseTmuxPane reads tmuxPaneFormat's answer.
func parseTmuxPane(out string) (TmuxPane, error) {
	f := strings.Fields(out)
	if len(f) != 9 {
		return TmuxPane{}, fmt.Errorf("tmux answered %q", textsafe.CleanN(out, 80))
	}
	attached, _ := strconv.Atoi(f[1])
	top, _ := strconv.Atoi(f[2])
	left, _ := strconv.Atoi(f[3])
	if f[5] == "top" && f[4] != "off" {
		lines := 1
		if n, err := strconv.Atoi(f[4]); err == nil {
			lines = n
		}
		top += lines
	}
	p := TmuxPane{Shown: f[0] == "1" && attached > 0, Top: top, Left: left}
	p.Look = strings.Join([]string{strconv.FormatBool(p.Shown), strconv.Itoa(top), strconv.Itoa(left), f[6], f[7], f[8]}, " ")
	return p, nil
}

// TmuxPassthroughHelp says how to let images through tmux.
const TmuxPassthroughHelp = "tmux blocks image escape sequences: add `set -g allow-passthrough on` to ~/.tmux.conf, then `tmux source-file ~/.tmux.conf`"
