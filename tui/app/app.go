// Package app holds the entry points of headshot's interactive commands
// (browse, demo, setup, doctor): it loads config, builds the clients and the
// engine, and runs the root TUI model.
package app

import (
	"fmt"
	"io"
)

// Browse is `headshot [DIR]`.
func Browse(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot: the browser is not built yet")
	return 2
}

// Demo is `headshot demo`.
func Demo(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stdout, "headshot demo: coming soon (the sandbox, sample photos and TUI are being built)")
	return 0
}

// Setup is `headshot setup`.
func Setup(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot setup: not built yet")
	return 2
}

// Doctor is `headshot doctor`.
func Doctor(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "headshot doctor: not built yet")
	return 2
}
