// Command headshot gets staff profile photos onto the company's SaaS
// platforms: it browses a folder of photos, crops each to a 600x600 square
// around the face, and uploads to every configured platform at once, each at
// its own rate limit. Run `headshot --help` for the subcommands.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"headshot/imageprep/prepcli"
	"headshot/tui/app"
	"headshot/upload"
	"headshot/upload/cli"
	"headshot/upload/sandbox"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// command is one subcommand: its one-line summary and entry point. Run gets
// the arguments after the subcommand name and returns the exit status.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = []command{
	{"browse", "open the photo browser on a folder (the default: headshot [DIR])", app.Browse},
	{"demo", "run the whole product against the built-in sandbox, no account needed", app.Demo},
	{"setup", "guided set-up of platforms and credentials", app.Setup},
	{"doctor", "check config, credentials, connectivity and the terminal", app.Doctor},
	{"prep", "prepare photos headlessly: prep [--crop face|smart|center] [-o DIR] PATH...", prepcli.Run},
	{"upload", "upload photos headlessly to every configured platform", cli.Upload},
	{"history", "show what was sent where (the upload journal)", cli.History},
	{"sandbox", "serve local emulators of all five platform APIs", sandbox.Main},
	{"bench", "measure speed: bench prep | bench upload", bench},
}

func main() {
	upload.Version = strings.TrimPrefix(version, "v")
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return app.Browse(nil, stdout, stderr)
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return 0
	case "-v", "--version", "version":
		fmt.Fprintln(stdout, "headshot", version)
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	if strings.HasPrefix(args[0], "-") {
		// Flags with no subcommand belong to the browser (e.g. --config).
		return app.Browse(args, stdout, stderr)
	}
	if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
		return app.Browse(args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "headshot: unknown command %q (see headshot --help)\n", args[0])
	return 2
}

func bench(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "prep":
			return prepcli.Bench(args[1:], stdout, stderr)
		case "upload":
			return cli.Bench(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: headshot bench prep|upload [flags]")
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "headshot %s: staff profile photos onto Zoom, Rhombus, Igloo, Interact and Netex learningCloud\n\n", version)
	fmt.Fprintln(w, "Usage:\n  headshot [DIR]            browse DIR (default: current folder)\n  headshot COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nGlobal: --config FILE (or HEADSHOT_CONFIG) selects the config file.\nRun `headshot COMMAND --help` for a command's flags.")
}
