package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"

	"headshot/tui"
	"headshot/tui/demo"
	"headshot/tui/graphics"
	"headshot/upload/journal"
)

// DemoOptions are `headshot demo`'s flags.
type DemoOptions struct {
	Headless bool    // run the batch through the engine and print its events
	Verbose  bool    // with Headless: print every event
	Fast     float64 // speed every rate limit up by this factor (1: real time)
	Keep     bool    // keep the temporary folder and say where it is
}

// Demo is `headshot demo`: the whole product against the built-in sandbox,
// with sample portraits in a temporary folder, no account and no network.
// Nothing is written outside the temporary folder, which is removed on
// exit unless o.Keep.
func Demo(g Globals, o DemoOptions, stdout, stderr io.Writer) int {
	if o.Fast <= 0 {
		fmt.Fprintln(stderr, "headshot demo: --fast must be positive")
		return 2
	}
	gfx, err := graphics.ParseChoice(g.Graphics) // "": auto (the demo has no config)
	if err != nil {
		fmt.Fprintln(stderr, "headshot demo:", err)
		return 2
	}
	// The temporary folder is made here so a closed terminal (SIGHUP, which
	// ends the process without running defers) can remove it at any point;
	// SIGTERM and ctrl+c quit the TUI normally and the defers run. The
	// headless run needs its own handler for both, registered before the
	// folder exists: without it `kill PID` ended the process on the spot
	// and left the folder behind. SIGPIPE too: `headshot demo --headless |
	// head` closed the pipe, and the runtime ended the process at the next
	// write to stdout, leaving the folder behind.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGPIPE)
	defer stop()
	root, err := os.MkdirTemp("", "headshot-demo-")
	if err != nil {
		fmt.Fprintln(stderr, "headshot demo:", err)
		return 1
	}
	cleanup := func() {
		if !o.Keep {
			os.RemoveAll(root)
		}
	}
	defer cleanup()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		if _, ok := <-hup; ok {
			cleanup()
			os.Exit(129)
		}
	}()
	d, err := demo.Start(demo.Options{RateScale: o.Fast, Root: root})
	if err != nil {
		fmt.Fprintln(stderr, "headshot demo:", err)
		return 1
	}
	defer d.Close()
	if len(d.Skipped) > 0 {
		var names []string
		for _, p := range d.Skipped {
			names = append(names, p.Title())
		}
		fmt.Fprintf(stderr, "headshot demo: this build has no client yet for %s; demo runs without it\n", strings.Join(names, ", "))
	}

	if !o.Headless && (!term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd())) {
		fmt.Fprintln(stdout, "headshot demo: not a terminal, so running headless (the TUI needs one).")
		o.Headless = true
	}
	if o.Headless {
		fmt.Fprintf(stdout, "headshot demo: %d sample photos in %s, sandbox at %s\n", len(d.Samples), d.Photos, d.Sandbox.URL)
		fmt.Fprintf(stdout, "Interact's client is set to %s, above the platform's 6/min, so you see 429 handling.\n\n", demo.InteractDemoRate)
		if _, err := d.Headless(ctx, stdout, o.Verbose); err != nil {
			if ctx.Err() != nil {
				if o.Keep {
					fmt.Fprintf(stderr, "headshot demo: stopped; kept %s\n", d.Root)
				} else {
					fmt.Fprintln(stderr, "headshot demo: stopped; temporary files removed")
				}
				return 130
			}
			fmt.Fprintln(stderr, "headshot demo:", err)
			return 1
		}
		if o.Keep {
			fmt.Fprintf(stdout, "\nKept %s\n", d.Root)
		}
		return 0
	}

	clients, err := d.Config.Clients()
	if err != nil {
		fmt.Fprintln(stderr, "headshot demo:", err)
		return 1
	}
	j, err := journal.Open(d.Config.Journal)
	if err != nil {
		fmt.Fprintln(stderr, "headshot demo:", err)
		return 1
	}
	defer j.Close()
	err = tui.Run(tui.Options{
		Dir:      d.Photos,
		Color:    g.Color,
		Graphics: gfx,
		Clients:  clients,
		Prep:     d.Config.PrepOptions(),
		Journal:  j,
		Notice:   "demo on the built-in sandbox: a selects all, u uploads, ? help",
		// Removed on exit unless --keep, and `headshot history` reads the
		// real config's journal, not the demo's.
		TemporaryJournal: true,
	})
	if err != nil {
		fmt.Fprintln(stderr, "headshot demo:", err)
		return 1
	}
	fmt.Fprintf(stdout, "headshot demo: the sandbox stored %d photos.", len(d.Sandbox.Received()))
	if o.Keep {
		fmt.Fprintf(stdout, " Kept %s\n", d.Root)
	} else {
		fmt.Fprintln(stdout, " Temporary files removed.")
	}
	return 0
}
