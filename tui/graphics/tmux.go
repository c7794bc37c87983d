package graphics

import (
	"context"
	"os/exec"
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

// TmuxPassthroughHelp says how to let images through tmux.
const TmuxPassthroughHelp = "tmux blocks image escape sequences: add `set -g allow-passthrough on` to ~/.tmux.conf, then `tmux source-file ~/.tmux.conf`"
