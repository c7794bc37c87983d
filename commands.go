package main

import (
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"headshot/imageprep/prepcli"
	"headshot/imageprep/textsafe"
	"headshot/tui/app"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/upload"
	"headshot/upload/cli"
	"headshot/upload/config"
	"headshot/upload/journal"
	"headshot/upload/sandbox"
)

// globals are the root's persistent flags. Each command lists the ones it
// reads (usesGlobals); giving it another is a usage error, not ignored.
type globals struct {
	config, color, journal, graphics string
}

// usesGlobals is the annotation naming the global flags a command reads.
const usesGlobals = "globals"

func uses(names ...string) map[string]string {
	return map[string]string{usesGlobals: strings.Join(names, ",")}
}

// appGlobals are the globals as the interactive commands take them, the
// colour mode parsed (the root's pre-run has checked it).
func (g *globals) app() app.Globals {
	mode, _ := common.ParseColorMode(g.color, os.Getenv)
	return app.Globals{Config: g.config, Journal: g.journal, Color: mode, Graphics: g.graphics}
}

// platformTitles names the registered platforms: "Zoom, Rhombus and Netex
// learningCloud".
func platformTitles() string {
	var names []string
	for _, p := range upload.Platforms() {
		names = append(names, p.Title())
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// newRoot builds the whole command tree, writing to stdout and stderr.
func newRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "headshot [DIR|PHOTO]",
		Short: "staff profile photos onto " + platformTitles(),
		Long: `headshot browses a folder of photos, previews each with its automatic crop
(a 600x600 square around the face), and uploads to every configured platform
at once, each at its own rate limit.

With no command it opens the photo browser on DIR (default: the current
folder); given a photo, on its folder with the cursor on that photo.`,
		Version:     version,
		Args:        browseArgs,
		Annotations: uses("config", "color", "graphics", "journal"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return status(app.Browse(g.app(), first(args), stdout, stderr))
		},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return g.check(cmd) },
		SilenceErrors:     true,
		SilenceUsage:      true,
	}
	root.SuggestionsMinimumDistance = 2
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("headshot {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })
	root.SetUsageTemplate(strings.NewReplacer(
		"{{if .HasAvailableInheritedFlags}}", "{{if globalFlags .}}",
		"{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}", "{{globalFlags . | trimTrailingWhitespaces}}",
	).Replace(root.UsageTemplate()))

	pf := root.PersistentFlags()
	pf.StringVar(&g.config, "config", "", "config file (default $HEADSHOT_CONFIG, else $XDG_CONFIG_HOME/headshot/config.toml)")
	pf.StringVar(&g.color, "color", "auto", "colours: auto, none, 16, 256 or truecolor")
	pf.StringVar(&g.graphics, "graphics", "", "how photos are drawn: "+graphics.Choices+" (default: the config's [ui] graphics, else auto)")
	pf.StringVar(&g.journal, "journal", "", "upload journal (default: the config's journal, $HEADSHOT_JOURNAL, else $XDG_STATE_HOME/headshot/journal.db)")
	_ = root.MarkPersistentFlagFilename("config", "toml")
	_ = root.MarkPersistentFlagFilename("journal", "db")
	_ = root.RegisterFlagCompletionFunc("color", fixedValues("auto", "none", "16", "256", "truecolor"))
	_ = root.RegisterFlagCompletionFunc("graphics", fixedValues(strings.Split(strings.NewReplacer(" or ", ", ").Replace(graphics.Choices), ", ")...))

	root.AddCommand(
		&cobra.Command{
			Use:         "browse [DIR|PHOTO]",
			Short:       "open the photo browser on a folder (the default: headshot [DIR])",
			Long:        "Opens the photo browser on DIR (default: the current folder), or on a photo's folder with the cursor on it.",
			Args:        browseArgs,
			Annotations: uses("config", "color", "graphics", "journal"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return status(app.Browse(g.app(), first(args), stdout, stderr))
			},
		},
		demoCmd(g, stdout, stderr),
		&cobra.Command{
			Use:   "setup",
			Short: "guided set-up of platforms and credentials",
			Long: `Guided set-up of platforms and credentials, editing the existing config
file if there is one. Nothing is written until you save.`,
			Args:        noArgs,
			Annotations: uses("config", "color"),
			RunE: func(cmd *cobra.Command, _ []string) error {
				return status(app.Setup(g.app(), stdout, stderr))
			},
		},
		doctorCmd(g, stdout, stderr),
		prepCmd(g, stdout, stderr),
		uploadCmd(g, stdout, stderr),
		historyCmd(g, stdout, stderr),
		sandboxCmd(stdout, stderr),
		benchCmd(stdout, stderr),
		manCmd(root, stdout),
		&cobra.Command{
			Use:   "version",
			Short: "print the version",
			Args:  noArgs,
			Run:   func(*cobra.Command, []string) { fmt.Fprintln(stdout, "headshot", version) },
		},
	)
	// Cobra's own commands, in the tree's lower-case voice.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short = "help about any command"
		case "completion":
			c.Short = "shell completion script: completion bash|zsh|fish|powershell"
		}
	}
	cobra.AddTemplateFunc("globalFlags", globalFlagUsages)
	return root
}

// check refuses a global flag the command does not read, and a bad
// --color or --graphics.
func (g *globals) check(cmd *cobra.Command) error {
	used := strings.Split(cmd.Annotations[usesGlobals], ",")
	var err error
	cmd.Root().PersistentFlags().VisitAll(func(f *pflag.Flag) {
		if err == nil && f.Changed && !slices.Contains(used, f.Name) {
			err = fmt.Errorf("--%s does not apply to %s", f.Name, cmd.CommandPath())
		}
	})
	if err != nil {
		return err
	}
	if _, err := common.ParseColorMode(g.color, os.Getenv); err != nil {
		return err
	}
	if _, err := graphics.ParseChoice(g.graphics); err != nil {
		return err
	}
	return nil
}

// globalFlagUsages is the help's "Global Flags" section: only the globals
// this command reads.
func globalFlagUsages(cmd *cobra.Command) string {
	used := strings.Split(cmd.Annotations[usesGlobals], ",")
	fs := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	cmd.InheritedFlags().VisitAll(func(f *pflag.Flag) {
		if slices.Contains(used, f.Name) {
			fs.AddFlag(f)
		}
	})
	return fs.FlagUsages()
}

// browseArgs takes one folder or photo. A word that is neither an existing
// path nor shaped like one (no separator, dot or extension) is taken for a
// mistyped command.
func browseArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("one folder at a time (got %d)", len(args))
	}
	if len(args) == 0 || cmd.HasParent() {
		return nil
	}
	arg := args[0]
	if _, err := os.Lstat(arg); err == nil || strings.ContainsAny(arg, `./\~`) {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q (and no such folder)", arg)
	if s := cmd.SuggestionsFor(arg); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return fmt.Errorf("%s", msg)
}

// noArgs refuses operands. A .toml file is most likely meant as the config
// (`headshot doctor my.toml` used to check the default file instead).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if strings.HasSuffix(strings.ToLower(args[0]), ".toml") && strings.Contains(cmd.Annotations[usesGlobals], "config") {
		hint = fmt.Sprintf(" (for a config file: %s --config %s)", cmd.CommandPath(), args[0])
	}
	return fmt.Errorf("unexpected argument %q%s", args[0], hint)
}

func first(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// platformValues completes --platform from the registry, after any names
// already given before a comma ("zoom,rh" offers "zoom,rhombus").
func platformValues(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	given, _ := splitLast(toComplete)
	var out []cobra.Completion
	for _, p := range upload.Platforms() {
		if !slices.Contains(strings.Split(given, ","), string(p)) {
			out = append(out, given+string(p))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// splitLast splits "a,b,c" into "a,b," and "c".
func splitLast(s string) (head, last string) {
	i := strings.LastIndex(s, ",")
	return s[:i+1], s[i+1:]
}

// fixedValues completes a flag from a fixed list.
func fixedValues(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

func demoCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o app.DemoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "run the whole product against the built-in sandbox, no account needed",
		Long: `Runs the whole product against the built-in sandbox, with sample portraits
in a temporary folder: no account and no network. Nothing is written outside
the temporary folder, which is removed on exit unless --keep. Without a
terminal it runs headless.`,
		Args:        noArgs,
		Annotations: uses("color", "graphics"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return status(app.Demo(g.app(), o, stdout, stderr))
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Headless, "headless", false, "run the batch through the upload engine and print its events (no TUI)")
	f.BoolVar(&o.Verbose, "verbose", false, "with --headless: print every event")
	f.Float64Var(&o.Fast, "fast", 1, "speed every platform's rate limit up by this factor (1: real time)")
	f.BoolVar(&o.Keep, "keep", false, "keep the temporary folder (photos, journal) and print where it is")
	return cmd
}

func doctorCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o app.DoctorOptions
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "check config, credentials, connectivity and the terminal",
		Long: `Checks the config, every platform's credentials and connectivity, the journal
and the terminal, and prints what to fix. Exit status 1 if anything is wrong.`,
		Args:        noArgs,
		Annotations: uses("config", "journal"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return status(app.Doctor(g.app(), o, stdout, stderr))
		},
	}
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 15*time.Second, "how long each platform may take to answer")
	cmd.Flags().BoolVar(&o.ShowConfig, "show-config", false, "also print the config as headshot reads it (secrets shown only as set or missing)")
	return cmd
}

func prepCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o prepcli.Options
	cmd := &cobra.Command{
		Use:   "prep [flags] PATH...",
		Short: "prepare photos headlessly into 600x600 files",
		Long: `Prepares each photo (or every photo in each folder) as a 600x600 profile
picture in the output folder (default ./prepared). A file <photo>.crop or
<stem>.crop beside a photo holding "x,y,size" (upright source pixels)
overrides the crop; else a crop saved on the browser's Correct screen (kept
in the upload journal, read without locking it) is used, as upload does.
Photos that "headshot upload" would hold for review end in NEEDS REVIEW
and the reasons.
Exit status: 0 all prepared, 1 some failed, 2 bad usage.`,
		Annotations: uses("config", "journal"),
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("no PATH given")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, paths []string) error {
			lookup, done := savedCrops(g, stderr)
			defer done()
			o.SavedCrop = lookup
			return status(prepcli.Run(o, paths, stdout, stderr))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Crop, "crop", "face", "crop method: face, smart or center")
	f.StringVarP(&o.Out, "out", "o", "prepared", "output folder")
	f.StringVar(&o.Format, "format", "jpeg", "jpeg or png")
	f.Int64Var(&o.MaxBytes, "max-bytes", 0, "byte budget per photo (0: none)")
	f.IntVar(&o.Jobs, "jobs", runtime.NumCPU(), "photos prepared at once")
	_ = cmd.RegisterFlagCompletionFunc("crop", fixedValues("face", "smart", "center"))
	_ = cmd.RegisterFlagCompletionFunc("format", fixedValues("jpeg", "png"))
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

func uploadCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o cli.UploadOptions
	cmd := &cobra.Command{
		Use:   "upload [flags] PATH...",
		Short: "upload photos headlessly to every configured platform",
		Long: `Sends each photo (a file, or the photos in a folder) to every configured
platform at once. The person is the file name without its extension
(jane.doe@example.com.jpg is jane.doe@example.com) unless --map says
otherwise. A photo that needs review (no face, a doubtful or small face,
several faces, very dark, blurry) is held, not sent, unless it was approved
in the browser or --approve-flagged is given; a file too small to be a photo
is never sent. A folder's photos are found by content as in the browser;
what is skipped (not a photo, a sub-folder) is listed with the reason.
Prints one line per photo, one column per platform (✓ sent, ✗ failed,
? held, = unchanged, ! not sent; -v: a line per request instead), on a
terminal a live progress line, then a summary listing every held photo
with its reason, every failure and what was not sent.
Exit status: 0 all uploaded, 1 some failed or held, 2 bad usage or config.`,
		Annotations: uses("config", "journal"),
		RunE: func(cmd *cobra.Command, paths []string) error {
			o.Config, o.Journal = g.config, g.journal
			return status(cli.Upload(o, paths, stdout, stderr))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Platforms, "platform", "", "only these platforms (comma-separated)")
	_ = cmd.RegisterFlagCompletionFunc("platform", platformValues)
	f.StringVar(&o.Map, "map", "", "CSV mapping file,person[,<platform>...]")
	f.BoolVar(&o.DryRun, "dry-run", false, "prepare, validate and resolve every person; send nothing")
	f.BoolVar(&o.ApproveFlagged, "approve-flagged", false, "send photos that need review (no face, small, dark, blurry...) instead of holding them")
	f.StringVar(&o.Report, "report", "", "write a report (.json or .csv)")
	f.BoolVar(&o.Force, "force", false, "re-send even what the journal says was uploaded unchanged")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "print a line per request (queued, preparing, sent, retried, answered) instead of one per photo")
	_ = cmd.MarkFlagFilename("map", "csv")
	_ = cmd.MarkFlagFilename("report", "json", "csv")
	return cmd
}

func historyCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o cli.HistoryOptions
	cmd := &cobra.Command{
		Use:   "history",
		Short: "show what was sent where (the upload journal)",
		Long: "Shows what was sent where, from the upload journal: a table fitted to the\n" +
			"terminal's width ($COLUMNS, else 80, when not a terminal), dropping the\n" +
			"attempts, bytes and file columns as it narrows and wrapping the last error.\n" +
			cli.HistoryJSONHelp,
		Args:        noArgs,
		Annotations: uses("config", "journal"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Config, o.Journal = g.config, g.journal
			return status(cli.History(o, stdout, stderr))
		},
	}
	cmd.Flags().StringVar(&o.Person, "person", "", "only this person")
	cmd.Flags().StringVar(&o.Platform, "platform", "", "only this platform")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON (fields listed above) instead of the table")
	_ = cmd.RegisterFlagCompletionFunc("platform", platformValues)
	return cmd
}

// savedCrops looks up the crops saved on the Correct screen in the
// journal (config.JournalPath's rule), opened read-only so prep works while
// the browser or an upload runs. No journal: no saved crops. A journal
// that cannot be read is a warning, not a failure: prep still runs.
func savedCrops(g *globals, stderr io.Writer) (func(string) (image.Rectangle, bool), func()) {
	var cfg *config.Config
	if g.journal == "" {
		c, err := config.Load(config.Resolve(g.config))
		switch {
		case err == nil:
			cfg = c
		case config.IsNotExist(err) && g.config == "":
		default:
			fmt.Fprintln(stderr, "headshot prep: warning: saved crops not used:", textsafe.Clean(err.Error()))
			return nil, func() {}
		}
	}
	path := config.JournalPath(g.journal, cfg)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return nil, func() {}
	}
	j, err := journal.OpenReadOnly(path)
	if err != nil {
		fmt.Fprintln(stderr, "headshot prep: warning: saved crops not used:", textsafe.Clean(err.Error()))
		return nil, func() {}
	}
	return func(hash string) (image.Rectangle, bool) {
		c, ok, err := j.Correction(hash)
		return c.Crop, ok && err == nil
	}, func() { j.Close() }
}

func sandboxCmd(stdout, stderr io.Writer) *cobra.Command {
	var o sandbox.Options
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "serve local emulators of every platform's API",
		Long: `Serves local emulators of every platform's profile-photo API on one
loopback port, with demo users and demo credentials, and logs every photo
they receive. Stop it with Ctrl-C.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return status(sandbox.Main(o, stdout, stderr))
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", "127.0.0.1:0", "host:port to serve on (port 0: a free port)")
	f.Float64Var(&o.RateScale, "rate-scale", 1, "multiply every platform's rate limit by this")
	f.Float64Var(&o.Faults.FailureRate, "fail-rate", 0, "fraction of uploads answered 503 (0..1)")
	f.Float64Var(&o.Faults.ResetRate, "reset-rate", 0, "fraction of uploads whose connection is cut (0..1)")
	f.DurationVar(&o.Faults.Latency, "latency", 0, "delay added to each upload, e.g. 200ms")
	f.BoolVar(&o.Faults.No429RetryAfter, "no-retry-after", false, "send 429s without a Retry-After header")
	f.StringSliceVar(&o.Faults.ZoomRejects, "zoom-reject", nil, "Zoom refuses these users' pictures (400 code 300); comma-separated emails")
	f.Int64Var(&o.ZoomMaxBytes, "zoom-max-bytes", 0, "Zoom's picture size limit in bytes (0: 2 MB); lower it to see 413s")
	f.StringVar(&o.NetexFailPart, "netex-fail-part", "", "this Netex sub-platform (training, social, play, management) fails")
	f.Int64Var(&o.IglooCutAfter, "igloo-cut-after", 0, "cut the first Igloo PATCH after this many body bytes (the client resumes)")
	f.Int64Var(&o.Faults.Seed, "seed", 0, "seed for the fault draws (0: time-based)")
	// What the vendors' documents leave open, either way (docs/fidelity.md).
	f.StringVar(&o.IglooLogin, "igloo-login", "v1", "logins the Igloo workplace offers: v1 (documented; the only one on SAML communities), v2 or both")
	f.BoolVar(&o.IglooRelativeLocation, "igloo-relative-location", false, "Igloo's attachment step answers a Location relative to the host")
	f.BoolVar(&o.IglooNoMemberList, "igloo-no-member-list", false, "Igloo's member list (community/members/viewsmall) answers 404: lookups search")
	f.BoolVar(&o.IglooHideEmails, "igloo-hide-emails", false, "Igloo's member list leaves out every other member's email (a privacy setting)")
	f.IntVar(&o.IglooListMax, "igloo-list-max", 0, "Igloo's member list answers at most `N` members a page, whatever maxcount asks (0: as asked)")
	f.Float64Var(&o.IglooLookupRate, "igloo-lookup-rate", 0, "Igloo's member search and list get their own bucket of `N` requests/s (0: one bucket for all)")
	f.StringVar(&o.InteractUsernames, "interact-usernames", "local", "the Interact tenant's usernames: local (jane.doe) or email (the whole address)")
	f.StringSliceVar(&o.ZoomScopes, "zoom-scopes", nil, "scopes the Zoom app was given (default: all headshot needs); a call without its scope answers 400 code 4711")
	f.IntVar(&o.ZoomDailyLimit, "zoom-daily-limit", 0, "Zoom uploads a day before 429 Daily-limit with an ISO-8601 Retry-After (0: none)")
	f.StringVar(&o.RhombusPartName, "rhombus-part", "files", "multipart field of Rhombus's bulk upload photos")
	f.StringVar(&o.RhombusMatch, "rhombus-match", "email", "what names each Rhombus photo file: email or uuid")
	f.StringVar(&o.RhombusResultsField, "rhombus-results", "fileUploadResults", "the Rhombus bulk answer's per-file results field")
	f.StringVar(&o.RhombusBadFile, "rhombus-bad-file", "", "Rhombus answers HTTP 500 to any bulk upload holding this file name")
	f.BoolVar(&o.NetexListObject, "netex-list-object", false, "Netex's user list is an object holding the array (documented: a bare array)")
	f.BoolVar(&o.InteractPlainAnswers, "interact-plain-answers", false, "Interact answers 204 with no body and plain-text errors (default: ASP.NET JSON)")
	f.StringVar(&o.GooglePadding, "google-padding", "", "the one spelling of photoData's base64 padding Google reads: equals, asterisk, period or none (default: any)")
	f.IntVar(&o.M365ThrottleStatus, "m365-throttle-status", 429, "status of a throttled Microsoft 365 photo write, with Retry-After: 429, 503 or 504")
	f.IntVar(&o.M365PhotoStatus, "m365-photo-status", 200, "status of a stored Microsoft 365 photo: 200 (documented) or 204")
	f.StringSliceVar(&o.M365NoMailbox, "m365-no-mailbox", nil, "these Microsoft 365 users have no Exchange Online mailbox (photo writes: 404 ErrorNonExistentMailbox); comma-separated emails")
	f.BoolVar(&o.NetexHTTPErrors, "netex-http-errors", false, "Netex's image errors come with their HTTP status (default: inside an HTTP 200 envelope)")
	return cmd
}

func benchCmd(stdout, stderr io.Writer) *cobra.Command {
	bench := &cobra.Command{
		Use:   "bench",
		Short: "measure: bench prep | bench upload | bench faults",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return fmt.Errorf("which bench? prep or upload, or faults")
		},
	}
	var p prepcli.BenchOptions
	prep := &cobra.Command{
		Use:   "prep",
		Short: "prepare a generated batch with vipsthumbnail and with headshot, and compare",
		Long: `Generates a batch of N mixed photos (12 MP and 24 MP phone-like JPEGs, some
with EXIF orientation 6, 3 MP PNGs, a few small JPEGs), then prepares it
with vipsthumbnail (JOBS processes, 600x600, --smartcrop attention, or
centre with --crop center; Q=90, stripped)
and with headshot's prepare (JOBS workers, default profile, --crop method),
and prints each side's wall time, CPU time and peak RSS, and the ratios.
--photos benches a folder of photos instead (JPEG, PNG, HEIC, ...).
Targets (issue 10): within ` + fmt.Sprintf("%.1fx", prepcli.TargetWallRatio) + ` of vipsthumbnail's wall time, peak
RSS under ` + fmt.Sprint(prepcli.TargetPeakMB) + ` MB.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return status(prepcli.Bench(p, stdout, stderr))
		},
	}
	f := prep.Flags()
	f.IntVar(&p.N, "n", 40, "photos in the batch")
	f.IntVar(&p.Jobs, "jobs", 2, "vipsthumbnail processes and headshot workers")
	f.StringVar(&p.Crop, "crop", "face", "crop method: face, smart or center")
	f.StringVar(&p.Keep, "keep", "", "keep the batch and both sides' outputs in this folder")
	f.StringVar(&p.CPUProfile, "cpuprofile", "", "write a pprof CPU profile of the headshot side to this file")
	f.StringVar(&p.Photos, "photos", "", "bench the photos in this folder (up to --n) instead of a generated batch")
	f.StringVar(&p.VipsCrop, "vips-crop", "", "vipsthumbnail's --smartcrop: centre, attention or entropy (default: attention, centre with --crop center)")
	f.StringVar(&p.Worker, "headshot-worker", "", "internal: run the headshot side on this folder")
	f.StringVar(&p.Generate, "generate", "", "internal: write the batch into this folder")
	_ = f.MarkHidden("headshot-worker")
	_ = f.MarkHidden("generate")

	var u cli.BenchOptions
	var plats string
	up := &cobra.Command{
		Use:   "upload",
		Short: "upload to the in-process sandbox at full pace and report each platform's rate",
		Long: `Starts the sandbox in-process with its rate limits enforced and uploads
distinct photos to every platform at once, then reports per platform
the achieved request rate against the limit, 429s received and duplicates.
Targets: >= 0.95 of each limit, <= 1 429 per platform per minute, no
duplicates.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return status(cli.Bench(u, plats, stdout, stderr))
		},
	}
	f = up.Flags()
	f.IntVar(&u.Photos, "photos", 0, "at most N photos per platform (0: enough for --seconds)")
	f.Float64Var(&u.Seconds, "seconds", 30, "keep each platform busy about this long")
	f.IntVar(&u.RhombusBatch, "rhombus-batch", 5, "Rhombus photos per request")
	f.Float64Var(&u.Overdrive, "overdrive", 1, "tell the engine limits this many times faster than the sandbox enforces (exercises 429 handling)")
	f.StringVar(&plats, "platform", "", "only these platforms (comma-separated)")
	_ = up.RegisterFlagCompletionFunc("platform", platformValues)

	bench.AddCommand(prep, up, benchFaultsCmd(stdout, stderr))
	return bench
}

func benchFaultsCmd(stdout, stderr io.Writer) *cobra.Command {
	var o cli.FaultOptions
	var plats, scenarios, child string
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "the fault campaign: 503s, resets, lost answers, kill -9; counts duplicates and lost photos",
		Long:  cli.BenchFaultsLong,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if child != "" {
				return status(cli.FaultChild(child, stderr))
			}
			return status(cli.BenchFaults(o, plats, scenarios, stdout, stderr))
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Photos, "photos", 30, "photos per platform")
	f.Float64Var(&o.Scale, "scale", 20, "run the sandbox and the clients this many times faster than the documented limits")
	f.IntVar(&o.Runs, "runs", 4, "most runs per scenario")
	f.StringVar(&plats, "platform", "", "only these platforms (comma-separated)")
	_ = cmd.RegisterFlagCompletionFunc("platform", platformValues)
	f.StringVar(&scenarios, "scenario", "", "only these scenarios (503, reset, drop, kill9)")
	f.StringVar(&child, "child-run", "", "internal: the run the kill9 scenario kills")
	_ = f.MarkHidden("child-run")
	return cmd
}

// manCmd writes the man pages, generated from this tree.
func manCmd(root *cobra.Command, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "man [DIR]",
		Short: "write the man pages (roff): headshot(1) to stdout, or one page per command into DIR",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return writeManPage(root, stdout)
			}
			if err := writeManTree(root, args[0]); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "headshot man: %s\n", err)
				return exitStatus(exitFailed)
			}
			fmt.Fprintf(stdout, "wrote the man pages into %s\n", filepath.Clean(args[0]))
			return nil
		},
	}
}
