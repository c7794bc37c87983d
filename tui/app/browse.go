package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"headshot/imageprep"
	"headshot/tui"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/upload/config"
	"headshot/upload/journal"
)

// Browse is `headshot [DIR]`: the photo browser on DIR (default: the
// current folder), with uploads to the platforms in the config file.
func Browse(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("browse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFlag := fs.String("config", "", "config file (default $HEADSHOT_CONFIG or ~/.config/headshot/config.toml)")
	colorFlag := fs.String("color", "auto", "colours: auto, none, 16, 256 or truecolor")
	graphicsFlag := fs.String("graphics", "", "how photos are drawn: "+graphics.Choices+" (default: [ui] graphics, else auto)")
	journalFlag := fs.String("journal", "", "upload journal file (default from config, else ~/.local/state/headshot/journal.db)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: headshot [browse] [flags] [DIR]")
		fs.PrintDefaults()
	}
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(dirs) > 1 {
		fmt.Fprintf(stderr, "headshot: one folder at a time (got %d)\n", len(dirs))
		return 2
	}
	dir := ""
	if len(dirs) == 1 {
		dir = dirs[0]
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "headshot: %s is not a folder\n", common.Sanitize(dir))
			return 2
		}
	}
	mode, err := common.ParseColorMode(*colorFlag, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "headshot:", err)
		return 2
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		fmt.Fprintln(stderr, "headshot: the browser needs a terminal (for scripts use `headshot upload` or `headshot prep`)")
		return 2
	}

	opts := tui.Options{Dir: dir, Color: mode, Prep: imageprep.Options{Crop: imageprep.MethodFace}}
	cfgPath := config.Resolve(*cfgFlag)
	cfg, err := config.Load(cfgPath)
	switch {
	case err == nil:
		applyConfig(&opts, cfg)
	case config.IsNotExist(err):
		// First run: guided setup, then the browser on what it saved;
		// leaving setup without saving still opens the browser.
		saved, serr := RunSetup(nil, cfgPath, mode)
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

	gfx := *graphicsFlag
	if gfx == "" && cfg != nil {
		gfx = cfg.Value("ui", "graphics")
	}
	if opts.Graphics, err = graphics.ParseChoice(gfx); err != nil {
		fmt.Fprintln(stderr, "headshot:", err)
		return 2
	}

	jpath := *journalFlag
	if jpath == "" && cfg != nil && cfg.Journal != "" {
		jpath = cfg.Journal
	}
	if jpath == "" {
		jpath = journal.DefaultPath()
	}
	j, err := journal.Open(jpath)
	if err != nil {
		fmt.Fprintln(stderr, "headshot:", common.Sanitize(err.Error()))
		return 1
	}
	defer j.Close()
	opts.Journal = j
	opts.Preparer = imageprep.NewPreparer()

	if err := tui.Run(opts); err != nil {
		fmt.Fprintln(stderr, "headshot:", common.Sanitize(err.Error()))
		return 1
	}
	return 0
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

// parseInterspersed parses flags that may come before or after the
// positional arguments (headshot DIR --color 256).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
