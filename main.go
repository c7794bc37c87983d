// Command headshot gets staff profile photos onto the company's SaaS
// platforms: it browses a folder of photos, crops each to a 600x600 square
// around the face, and uploads to every configured platform at once, each at
// its own rate limit. Run `headshot --help` for the subcommands.
//
// The command line is one cobra tree (commands.go): the global flags
// --config, --color and --journal are defined once on the root, flags may
// follow operands everywhere and `--` ends them, every `--help` prints that
// command's help and exits 0, and the shell completions (`headshot
// completion`) and man pages (`headshot man`) come from the same tree.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"headshot/imageprep/textsafe"
	"headshot/upload"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit statuses: 0 ok, 1 something failed, 2 bad usage.
const (
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	upload.Version = strings.TrimPrefix(version, "v")
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	var st exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &st):
		return int(st)
	}
	// Cobra's own errors (unknown flag, bad value, unknown command) and
	// ours from argument checks are usage errors; they may quote what was
	// typed, so they are cleaned before they reach the terminal.
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown shorthand flag") {
		msg = singleDashHint(cmd, args, msg)
	}
	fmt.Fprintf(stderr, "%s: %s\n", cmd.CommandPath(), textsafe.Clean(msg))
	if !strings.Contains(err.Error(), "--help") {
		fmt.Fprintf(stderr, "Run `%s --help` for usage.\n", cmd.CommandPath())
	}
	return exitUsage
}

// exitStatus is a command's non-zero exit status; the command has already
// said why.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// status turns a command's exit status into RunE's error.
func status(code int) error {
	if code == 0 {
		return nil
	}
	return exitStatus(code)
}

// singleDashHint explains a Go-style single-dash long flag (-dry-run), which
// Go's flag package took and pflag reads as the shorthands -d -r -y ...
func singleDashHint(cmd *cobra.Command, args []string, msg string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && cmd.Flags().Lookup(name) != nil {
			return fmt.Sprintf("%s: long flags take two dashes: --%s", a, strings.TrimPrefix(a, "-"))
		}
	}
	return msg
}
