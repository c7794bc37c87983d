package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
)

// Bench is `headshot bench upload`; platforms is its --platform list.
func Bench(o BenchOptions, platforms string, stdout, stderr io.Writer) int {
	var err error
	if o.Platforms, err = parsePlatforms(platforms); err != nil {
		fmt.Fprintln(stderr, "headshot bench upload:", err)
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
