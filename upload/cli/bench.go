package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"

	"headshot/imageprep/textsafe"
)

const benchUsage = `usage: headshot bench upload [--photos N] [--seconds S] [--platform a,b] [--rhombus-batch N] [--overdrive F]

Starts the sandbox in-process with its rate limits enforced and uploads
distinct photos to all five platforms at once, then reports per platform
the achieved request rate against the limit, 429s received and duplicates.
Targets: >= 0.95 of each limit, <= 1 429 per platform per minute, no
duplicates.`

// Bench is `headshot bench upload`.
func Bench(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bench upload", stderr, benchUsage)
	var o BenchOptions
	fs.IntVar(&o.Photos, "photos", 0, "at most N photos per platform (0: enough for --seconds)")
	fs.Float64Var(&o.Seconds, "seconds", 30, "keep each platform busy about this long")
	fs.IntVar(&o.RhombusBatch, "rhombus-batch", 5, "Rhombus photos per request")
	fs.Float64Var(&o.Overdrive, "overdrive", 1, "tell the engine limits this many times faster than the sandbox enforces (exercises 429 handling)")
	plats := fs.String("platform", "", "only these platforms (comma-separated)")
	if err := fs.Parse(args); err != nil {
		if err.Error() == "flag: help requested" {
			return exitOK
		}
		return exitUsage
	}
	var err error
	if o.Platforms, err = parsePlatforms(*plats); err != nil {
		fmt.Fprintln(stderr, "headshot bench upload:", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "headshot bench upload: unexpected argument %q\n", textsafe.Clean(fs.Arg(0)))
		return exitUsage
	}
	if o.Seconds <= 0 || o.Photos < 0 || o.RhombusBatch < 1 || o.RhombusBatch > 100 || o.Overdrive <= 0 {
		fmt.Fprintln(stderr, "headshot bench upload: --seconds must be > 0, --photos >= 0, --rhombus-batch 1..100, --overdrive > 0")
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stdout, "Uploading to the in-process sandbox (limits enforced, rate scale 1) for about %.0f s...\n", o.Seconds)
	res, err := RunUploadBench(ctx, o)
	if err != nil {
		fmt.Fprintln(stderr, "headshot bench upload:", err)
		return exitFailed
	}
	printBench(stdout, res)
	for _, r := range res {
		if r.Duplicates > 0 || r.Failed > 0 {
			return exitFailed
		}
	}
	return exitOK
}

func printBench(w io.Writer, res []BenchResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PLATFORM\tLIMIT\tREQUESTS\tPHOTOS\tACHIEVED/s\tRATIO\t429s\t429/min\tDUPLICATES\tFAILED\tWALL\t")
	for _, r := range res {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.3f\t%.3f\t%d\t%.2f\t%d\t%d\t%.1fs\t\n", r.Platform, r.Limit, r.Requests, r.Photos,
			r.Rate, r.Ratio, r.Throttles, r.PerMinute(), r.Duplicates, r.Failed, r.Wall.Seconds())
	}
	tw.Flush()
}
