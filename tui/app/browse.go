package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/charmbracelet/x/term"

	"headshot/imageprep"
	"headshot/tui"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/upload/config"
	"headshot/upload/journal"
	"headshot/upload/people"
)

// Globals are the flags every command shares (headshot --config, --journal
// and --color), as the interactive commands take them.
type Globals struct {
	Config  string           // config file ("": config.DefaultPath)
	Journal string           // journal file ("": config.JournalPath's rule)
	Color   common.ColorMode // colour mode
	// Graphics is how photos are drawn, as typed (graphics.Choices; "":
	// the config's [ui] graphics, else auto).
	Graphics string
}

// Browse is `headshot [DIR|PHOTO]`: the photo browser on DIR (default: the
// current folder), or on a photo's folder with the cursor on that photo,
// with uploads to the platforms in the config file.
func Browse(g Globals, path string, stdout, stderr io.Writer) int {
	dir, focus := "", ""
	if path != "" {
		st, err := os.Stat(path)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "headshot: no such folder: %s\n", common.Sanitize(path))
			return 2
		case st.IsDir():
			dir = path
		default:
			dir = filepath.Dir(path)
			focus = filepath.Join(dir, filepath.Base(path)) // as the browser lists it
		}
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		fmt.Fprintln(stderr, "headshot: the browser needs a terminal (for scripts use `headshot upload` or `headshot prep`)")
		return 2
	}

	opts := tui.Options{Dir: dir, Focus: focus, Color: g.Color, Prep: imageprep.Options{Crop: imageprep.MethodFace}}
	cfgPath := config.Resolve(g.Config)
	cfg, err := config.Load(cfgPath)
	switch {
	case err == nil:
		applyConfig(&opts, cfg)
		for _, w := range cfg.Warnings() {
			fmt.Fprintln(stderr, "headshot: warning:", common.Sanitize(w))
			if opts.Notice == "" {
				opts.Notice = w
			}
		}
	case config.IsNotExist(err):
		// First run: guided setup, then the browser on what it saved;
		// leaving setup without saving still opens the browser.
		saved, serr := RunSetup(nil, cfgPath, g.Color)
		if serr != nil {
			fmt.Fprintln(stderr, "headshot:", common.Sanitize(serr.Error()))
			return 1
		}
		cfg = saved
		if cfg != nil {
			opts.Notice = "setup saved " + cfgPath
			applyConfig(&opts, cfg)
		} else {
			opts.Notice = noConfigNotice
		}
	default:
		fmt.Fprintln(stderr, "headshot:", common.Sanitize(err.Error()))
		return 1
	}

	gfx := g.Graphics
	if gfx == "" && cfg != nil {
		gfx = cfg.Value("ui", "graphics")
	}
	if opts.Graphics, err = graphics.ParseChoice(gfx); err != nil {
		fmt.Fprintln(stderr, "headshot:", err)
		return 2
	}

	j, err := journal.Open(config.JournalPath(g.Journal, cfg))
	if err != nil {
		fmt.Fprintln(stderr, "headshot:", common.Sanitize(err.Error()))
		return 1
	}
	defer j.Close()
	if d := j.Damage(); d != nil {
		// On stderr in full (it stays in the scrollback after the TUI) and
		// in the status line.
		fmt.Fprintln(stderr, "headshot: warning:", common.Sanitize(d.Warning(j.Path())))
		opts.Notice = fmt.Sprintf("journal was damaged: kept aside as %s; %s", filepath.Base(d.Aside), damageCount(d))
	}
	opts.Journal = j
	opts.Preparer = imageprep.NewPreparer()
	if cfg != nil {
		pc, warn := people.Open(people.PathFor(j.Path()), cfg.Tenants())
		if warn != "" {
			fmt.Fprintln(stderr, "headshot: warning:", common.Sanitize(warn))
		}
		opts.People = pc
	}

	err = tui.Run(opts)
	if serr := opts.People.Save(); serr != nil {
		fmt.Fprintln(stderr, "headshot: warning:", common.Sanitize(serr.Error()))
	}
	if err != nil {
		fmt.Fprintln(stderr, "headshot:", common.Sanitize(err.Error()))
		return 1
	}
	return 0
}

// damageCount is the status line's part of a damaged journal's warning.
func damageCount(d *journal.Damage) string {
	switch {
	case d.Lost < 0:
		return "photos it recorded may be sent again"
	case d.Lost > 0:
		return fmt.Sprintf("up to %d photo(s) may be sent again", d.Lost)
	}
	return "nothing lost"
}

// noConfigNotice is the status line when setup was left without saving.
const noConfigNotice = "no config yet: browsing only (run `headshot setup` to add platforms)"

// applyConfig takes the prep options and the platforms' clients from cfg;
// a platform that cannot be built is named in the status line.
func applyConfig(opts *tui.Options, cfg *config.Config) {
	opts.Prep = cfg.PrepOptions()
	clients, err := cfg.Clients()
	opts.Clients = clients
	if err != nil {
		opts.Notice = "config: " + err.Error()
	}
}
