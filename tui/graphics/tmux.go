package graphics

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
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
	if getenv("TMUX") == "" {
		return 0, 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	args := []string{"display-message", "-p"}
	if pane := getenv("TMUX_PANE"); pane != "" {
		args = append(args, "-t", pane)
	}
	args = append(args, "#{pane_top} #{pane_left} #{status} #{status-position}")
	out, err := exec.CommandContext(ctx, "tmux", args...).Output()
	if err != nil {
		return 0, 0
	}
	f := strings.Fields(string(out))
	if len(f) != 4 {
		return 0, 0
	}
	top, _ := strconv.Atoi(f[0])
	left, _ := strconv.Atoi(f[1])
	if f[3] == "top" && f[2] != "off" {
		lines := 1
		if n, err := strconv.Atoi(f[2]); err == nil {
			lines = n
		}
		top += lines
	}
	return top, left
}

// TmuxPassthroughHelp says how to let images through tmux.
const TmuxPassthroughHelp = "tmux blocks image escape sequences: add `set -g allow-passthrough on` to ~/.tmux.conf, then `tmux source-file ~/.tmux.conf`"
