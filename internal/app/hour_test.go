package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// hourSpan is the hour window scaled down: the emulator enforces hourAllow
// writes in any hourSpan, and the harness tells each run the same window, as
// GitHub documents its 500 an hour.
const (
	hourSpan  = 1500 * time.Millisecond
	hourAllow = 12
)

func hourHarness(t *testing.T, files int) *actiontest.Harness {
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{HourWindow: hourSpan, HourAllow: hourAllow}})
	for i := range files {
		h.Write(fmt.Sprintf("dist/part-%02d.bin", i), fmt.Sprintf("part %d", i))
	}
	return h
}

// refusedWrites counts the writes the emulator's hour window refused.
func refusedWrites(h *actiontest.Harness) int {
	n := 0
	for _, r := range h.Emu.Requests() {
		if r.Method != http.MethodGet && r.Status == http.StatusForbidden {
			n++
		}
	}
	return n
}

// TestHourWindowWaitPacesAcrossIt: a plan of 30 uploads (32 writes) against a
// window of 12 is announced before the first write, then paced across the
// window without one refusal, and the release is published whole.
func TestHourWindowWaitPacesAcrossIt(t *testing.T) {
	t.Parallel()
	const files = 30
	h := hourHarness(t, files)
	start := time.Now()
	r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*"})
	took := time.Since(start)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	announce := strings.Index(r.Stdout, "more than GitHub's hour window lets through (12 in 1.5s)")
	create := strings.Index(r.Stdout, "Create the release")
	if announce < 0 || create < 0 || announce > create || !strings.Contains(r.Stdout[announce:create], "the run paces across it") {
		t.Errorf("the plan's pacing is not announced before the first write:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stdout, "waiting") {
		t.Errorf("no wait for the window was logged:\n%s", r.Stdout)
	}
	rel := h.Only("v1.0.0")
	if rel.Draft || len(h.Emu.Assets(actiontest.Repo, rel.ID)) != files {
		t.Errorf("release draft=%v with %d assets, want published with %d", rel.Draft, len(h.Emu.Assets(actiontest.Repo, rel.ID)), files)
	}
	if n := refusedWrites(h); n != 0 {
		t.Errorf("%d writes were refused by the window; the run should have waited for room instead", n)
	}
	// 32 writes through a window of 12 wait for it twice.
	if least := 2 * hourSpan; took < least {
		t.Errorf("the run took %s, less than the window allows (%s)", took, least)
	}
}

// TestHourWindowStopThenContinue: with hour_window: stop the run does what
// fits, leaves the draft unpublished, exits 3 and says that running again
// continues; run again once the window has room, the same step finishes the
// one release, uploading only what was missing.
func TestHourWindowStopThenContinue(t *testing.T) {
	t.Parallel()
	const files = 30
	h := hourHarness(t, files)
	in := map[string]string{"tag": "v1.0.0", "files": "dist/*", "hour_window": "stop"}
	var uploads int
	for run := 1; ; run++ {
		if run > 5 {
			t.Fatalf("not finished after %d runs", run-1)
		}
		r := h.Run(in)
		uploads = h.Count(emulator.RouteUploadAsset)
		if r.Code == 0 {
			if run < 3 {
				t.Fatalf("finished on run %d; 32 writes cannot fit in windows of 12", run)
			}
			break
		}
		if r.Code != 3 {
			t.Fatalf("run %d: exit %d, want 3 (stopped at the hour window)\n%s", run, r.Code, r.Stdout)
		}
		if run == 1 && !strings.Contains(r.Stdout[:strings.Index(r.Stdout, "Create the release")], "then stops") {
			t.Errorf("run 1 did not say up front that it will stop:\n%s", r.Stdout)
		}
		if !strings.Contains(r.Stdout, "Run the same step again to continue") || !strings.Contains(r.Stdout, "stays unpublished") {
			t.Errorf("run %d: the stop does not say the draft stays and that running again continues:\n%s", run, r.Stdout)
		}
		rels := h.ReleasesFor("v1.0.0")
		if len(rels) != 1 || !rels[0].Draft {
			t.Fatalf("run %d: want one draft left, got %+v", run, rels)
		}
		if n := len(h.Emu.Assets(actiontest.Repo, rels[0].ID)); n == 0 || n == files {
			t.Errorf("run %d: draft holds %d assets, want part of %d", run, n, files)
		}
		time.Sleep(hourSpan) // the window has room again
	}
	rel := h.Only("v1.0.0")
	got := h.AssetContents(rel.ID)
	if rel.Draft || len(got) != files {
		t.Fatalf("release draft=%v with %d assets, want published with %d", rel.Draft, len(got), files)
	}
	for i := range files {
		if name := fmt.Sprintf("part-%02d.bin", i); got[name] != fmt.Sprintf("uploaded:part %d", i) {
			t.Errorf("%s = %q", name, got[name])
		}
	}
	if uploads != files {
		t.Errorf("%d uploads over the runs, want each of the %d files once", uploads, files)
	}
	if n := refusedWrites(h); n != 0 {
		t.Errorf("%d writes were refused by the window; each run should have stopped before", n)
	}
}

// TestHourWindowMaxWaitBoundsTheWait: hour_window: wait never waits longer than
// hour_window_max_wait; a plan that needs more says so up front and stops like
// hour_window: stop when the wait would pass it.
func TestHourWindowMaxWaitBoundsTheWait(t *testing.T) {
	t.Parallel()
	h := hourHarness(t, 30)
	start := time.Now()
	r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "hour_window_max_wait": "1s"})
	took := time.Since(start)
	if r.Code != 3 {
		t.Fatalf("exit %d, want 3\n%s", r.Code, r.Stdout)
	}
	create := strings.Index(r.Stdout, "Create the release")
	if create < 0 || !strings.Contains(r.Stdout[:create], "more than hour_window_max_wait: 1s allows") {
		t.Errorf("the plan does not say up front that the maximum wait is too short:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stdout, "would pass the maximum wait of 1s") {
		t.Errorf("the stop does not name the maximum wait:\n%s", r.Stdout)
	}
	if took > hourSpan+time.Second {
		t.Errorf("the run took %s; it may wait 1s at most", took)
	}
	if rels := h.ReleasesFor("v1.0.0"); len(rels) != 1 || !rels[0].Draft {
		t.Errorf("want the draft left for the next run, got %+v", rels)
	}
}
