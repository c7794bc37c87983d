package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"headshot/upload"
)

// The fault campaign loses nothing: 503s and resets (refused before the
// photo is stored) cost requests, not duplicates; lost answers and kill -9
// cost at most a re-send of what was in flight.
func TestFaultCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("campaign")
	}
	o := FaultOptions{Photos: 6, Scale: 50, Platforms: []upload.Platform{upload.Zoom, upload.Rhombus, upload.Netex}, Exe: os.Args[0]}
	// Without faults: one request a photo, Rhombus five photos a request.
	const baseline = 6 + 6 + 2
	for _, sc := range FaultScenarios {
		// Higher rates than the campaign's, so a handful of requests
		// meets the fault for sure.
		sc.Faults.FailureRate = min(0.5, sc.Faults.FailureRate*2)
		sc.Faults.ResetRate = min(0.5, sc.Faults.ResetRate*2.5)
		sc.Faults.DropRate = min(0.5, sc.Faults.DropRate*2.5)
		t.Run(sc.Name, func(t *testing.T) {
			r, err := RunFaultScenario(context.Background(), sc, o)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", r)
			if r.Photos != 18 || r.Lost != 0 || r.Failed != 0 {
				t.Errorf("photos %d, lost %d, failed %d", r.Photos, r.Lost, r.Failed)
			}
			if r.Stored != r.Photos+r.Duplicates {
				t.Errorf("stored %d != photos %d + duplicates %d", r.Stored, r.Photos, r.Duplicates)
			}
			switch sc.Name {
			case "503", "reset":
				if r.Duplicates != 0 {
					t.Errorf("%d duplicates from faults that store nothing", r.Duplicates)
				}
				if r.Requests <= baseline {
					t.Errorf("%d requests for %d photos: the faults did not bite", r.Requests, r.Photos)
				}
			case "drop":
				if r.Duplicates == 0 {
					t.Errorf("no duplicates although answers were lost after storing: the fault did not bite")
				}
			case "kill9":
				if r.Killed == 0 || r.Killed >= r.Photos || r.Runs < 2 {
					t.Errorf("killed after %d stored, %d runs", r.Killed, r.Runs)
				}
			}
		})
	}
}

func TestBenchFaultsUsage(t *testing.T) {
	var out, errb bytes.Buffer
	ok := FaultOptions{Photos: 1, Scale: 1, Runs: 1}
	if code := BenchFaults(ok, "", "nope", &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "no scenario") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	if code := BenchFaults(FaultOptions{Scale: 1, Runs: 1}, "", "", &out, &errb); code != exitUsage {
		t.Errorf("--photos 0: exit %d", code)
	}
}
