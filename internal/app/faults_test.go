package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

func TestRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	// The same run without faults, for the number of requests per route.
	base := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	base.Write("dist/app.zip", "zip")
	if r := base.Run(map[string]string{"tag": "v1", "files": "dist/*"}); r.Code != 0 {
		t.Fatalf("baseline: exit %d\n%s", r.Code, r.Stdout)
	}
	baseline := base.Emu.Counts()
	cases := []struct {
		name  string
		fault emulator.Fault
		route string
		extra int // failed requests to route, each retried once more
	}{
		{"502 on create", emulator.Fault{Route: emulator.RouteCreateRelease, Kind: emulator.FaultStatus, Status: 502}, emulator.RouteCreateRelease, 1},
		{"500 twice on listing", emulator.Fault{Route: emulator.RouteListReleases, Kind: emulator.FaultStatus, Status: 500, Times: 2}, emulator.RouteListReleases, 2},
		{"429 with Retry-After", emulator.Fault{Route: emulator.RouteGetReleaseByTag, Kind: emulator.FaultStatus, Status: 429}, emulator.RouteGetReleaseByTag, 1},
		{"secondary limit with Retry-After", emulator.Fault{Route: emulator.RouteUpdateRelease, Kind: emulator.FaultSecondaryLimit, RetryAfter: 1}, emulator.RouteUpdateRelease, 1},
		{"primary limit until reset", emulator.Fault{Route: emulator.RouteListAssets, Kind: emulator.FaultPrimaryLimit, RetryAfter: 1}, emulator.RouteListAssets, 1},
		{"dropped connection on publish", emulator.Fault{Route: emulator.RouteUpdateRelease, Kind: emulator.FaultDrop}, emulator.RouteUpdateRelease, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
			h.Write("dist/app.zip", "zip")
			h.Emu.Inject(c.fault)
			start := time.Now()
			r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			if got, want := h.Count(c.route), baseline[c.route]+c.extra; got != want {
				t.Fatalf("%s called %d times, want %d", c.route, got, want)
			}
			if rel := h.Only("v1"); rel.Draft || len(h.AssetContents(rel.ID)) != 1 {
				t.Fatalf("release not complete: %+v", rel)
			}
			if c.fault.RetryAfter > 0 && time.Since(start) < time.Duration(c.fault.RetryAfter)*time.Second {
				t.Fatalf("run took %v; GitHub asked to wait %ds", time.Since(start), c.fault.RetryAfter)
			}
			if !strings.Contains(r.Stdout, "retrying") {
				t.Fatalf("the retry was not logged:\n%s", r.Stdout)
			}
		})
	}
}

func TestDoesNotRetryClientErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 403, 404, 422} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
			h.Emu.Inject(emulator.Fault{Route: emulator.RouteCreateRelease, Kind: emulator.FaultStatus, Status: status, Times: 10})
			r := h.Run(map[string]string{"tag": "v1"})
			if r.Code == 0 {
				t.Fatal("exit 0")
			}
			if n := h.Count(emulator.RouteCreateRelease); n != 1 {
				t.Fatalf("a %d was sent %d times; it must not be retried", status, n)
			}
		})
	}
}

func TestGivesUpAfterBoundedRetries(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteListReleases, Kind: emulator.FaultStatus, Status: 503, Times: 100})
	r := h.Run(map[string]string{"tag": "v1"})
	if r.Code == 0 {
		t.Fatal("exit 0")
	}
	if n, want := h.Count(emulator.RouteListReleases), actiontest.FastPolicy().MaxAttempts; n != want {
		t.Fatalf("%d attempts, want %d", n, want)
	}
	if !strings.Contains(r.Stdout, "giving up after") {
		t.Fatalf("error does not say it gave up:\n%s", r.Stdout)
	}
}

func TestBrokenUploadsAreCleanedAndRetried(t *testing.T) {
	t.Parallel()
	for _, kind := range []emulator.FaultKind{emulator.FaultStarter, emulator.FaultDrop} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
			h.Write("dist/app.tar.gz", strings.Repeat("payload ", 4096))
			h.Emu.Inject(emulator.Fault{Route: emulator.RouteUploadAsset, Kind: kind, Times: 2})
			r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
			if r.Code != 0 {
				t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
			}
			rel := h.Only("v1")
			got := h.AssetContents(rel.ID)
			if len(got) != 1 || got["app.tar.gz"] != "uploaded:"+strings.Repeat("payload ", 4096) {
				t.Fatalf("assets after broken uploads: %d, states %v", len(got), keys(got))
			}
			if n := h.Count(emulator.RouteUploadAsset); n != 3 {
				t.Fatalf("%d upload attempts, want 3", n)
			}
			if n := h.Count(emulator.RouteDeleteAsset); n != 2 {
				t.Fatalf("%d deletes, want 2 (one per starter left)", n)
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+strings.SplitN(v, ":", 2)[0])
	}
	return out
}

// TestRateLimitHoldsEveryWorker uploads 150 assets and answers one upload with a
// secondary limit: no request of any worker may start before the wait is over.
func TestRateLimitHoldsEveryWorker(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	for i := range 150 {
		h.Write(fmt.Sprintf("dist/file-%03d.txt", i), fmt.Sprintf("content %d", i))
	}
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteUploadAsset, Kind: emulator.FaultSecondaryLimit, RetryAfter: 1, Skip: 20})
	var mu sync.Mutex
	var starts []time.Time
	var limitAt time.Time
	seen := 0
	hook := func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if strings.Contains(r.URL.Path, "/uploads/") {
			seen++
			if seen == 21 {
				limitAt = now
			}
		}
		starts = append(starts, now)
	}
	h.Hook.Store(&hook)
	r := h.Run(map[string]string{"tag": "v1", "files": "dist/*", "max_parallel": "8"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if n := len(h.Emu.Assets(actiontest.Repo, h.Only("v1").ID)); n != 150 {
		t.Fatalf("%d assets, want 150", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if limitAt.IsZero() {
		t.Fatal("the limited request was never seen")
	}
	// Requests already on the wire when the answer came may land a moment later;
	// after that, nobody may start until Retry-After (1s) has passed.
	var early []time.Duration
	for _, s := range starts {
		if d := s.Sub(limitAt); d > 100*time.Millisecond && d < 900*time.Millisecond {
			early = append(early, d)
		}
	}
	if len(early) > 0 {
		t.Fatalf("%d requests started during the wait GitHub asked for (at %v after the limit)", len(early), early)
	}
}

// TestMatrixRunsConverge starts six runs at the same moment, each uploading its own
// file to the same tag, as matrix jobs do.
func TestMatrixRunsConverge(t *testing.T) {
	t.Parallel()
	for _, draft := range []bool{true, false} {
		t.Run(fmt.Sprintf("draft=%v", draft), func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
			for i := range 6 {
				h.Write(fmt.Sprintf("job%d/app-%d.zip", i, i), fmt.Sprintf("build of job %d", i))
			}
			var wg sync.WaitGroup
			results := make([]actiontest.Result, 6)
			gate := make(chan struct{})
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-gate
					results[i] = h.Run(map[string]string{"tag": "v1", "files": fmt.Sprintf("job%d/*", i), "draft": fmt.Sprint(draft)})
				}()
			}
			close(gate)
			wg.Wait()
			for i, r := range results {
				if r.Code != 0 {
					t.Fatalf("job %d: exit %d\n%s", i, r.Code, r.Stdout)
				}
			}
			if draft {
				// The final job publishes.
				if r := h.Run(map[string]string{"tag": "v1", "draft": "false"}); r.Code != 0 {
					t.Fatalf("publishing job: exit %d\n%s", r.Code, r.Stdout)
				}
			}
			rel := h.Only("v1") // exactly one release, no leftover drafts
			if rel.Draft {
				t.Fatal("release still a draft after the publishing run")
			}
			got := h.AssetContents(rel.ID)
			if len(got) != 6 {
				t.Fatalf("release holds %d assets, want 6: %v", len(got), keys(got))
			}
			for i := range 6 {
				if got[fmt.Sprintf("app-%d.zip", i)] != fmt.Sprintf("uploaded:build of job %d", i) {
					t.Fatalf("asset of job %d missing or wrong: %v", i, keys(got))
				}
			}
			created := 0
			for _, r := range results {
				if r.Outputs["created"] == "true" {
					created++
				}
				if r.Outputs["id"] != fmt.Sprint(rel.ID) {
					t.Fatalf("a job reported release %s, the release is %d", r.Outputs["id"], rel.ID)
				}
			}
			if created != 1 {
				t.Fatalf("%d jobs say they created the release, want 1", created)
			}
		})
	}
}

// TestFailedRunRemovesItsDraft: a run that created the draft and then fails
// leaves nothing behind; a run that found an existing release never deletes it.
func TestFailedRunRemovesItsDraft(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("dist/a.zip", "a")
	h.Write("dist/b.zip", "b")
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteUploadAsset, Kind: emulator.FaultStatus, Status: 422, Skip: 1})
	r := h.Run(map[string]string{"tag": "v1", "files": "dist/*", "max_parallel": "1"})
	if r.Code == 0 {
		t.Fatal("exit 0")
	}
	if n := len(h.Emu.Releases(actiontest.Repo)); n != 0 {
		t.Fatalf("%d releases left after the failed run", n)
	}
	if !strings.Contains(r.Stdout, "removed draft release") {
		t.Fatalf("cleanup not logged:\n%s", r.Stdout)
	}

	pre := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v2", Draft: true})
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteUploadAsset, Kind: emulator.FaultStatus, Status: 422})
	if r := h.Run(map[string]string{"tag": "v2", "files": "dist/a.zip"}); r.Code == 0 {
		t.Fatal("exit 0")
	}
	if rs := h.ReleasesFor("v2"); len(rs) != 1 || rs[0].ID != pre.ID {
		t.Fatalf("a failed run touched a draft it did not create: %+v", rs)
	}
}

// TestKilledRunIsFixedByRunningAgain cancels a run in the middle of its uploads,
// at several points, and checks that one more run converges.
func TestKilledRunIsFixedByRunningAgain(t *testing.T) {
	t.Parallel()
	for _, after := range []int{1, 3, 5, 7} {
		t.Run(fmt.Sprintf("killed-after-%d-writes", after), func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
			for i := range 4 {
				h.Write(fmt.Sprintf("dist/f%d.bin", i), strings.Repeat(fmt.Sprint(i), 1000))
			}
			ctx, cancel := context.WithCancel(t.Context())
			var mu sync.Mutex
			writes, arrived := 0, 0
			hook := func(r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				arrived++
				if r.Method == http.MethodGet {
					return
				}
				if writes++; writes == after {
					cancel()
				}
			}
			h.Hook.Store(&hook)
			first := h.RunCtx(ctx, map[string]string{"tag": "v1", "files": "dist/*", "max_parallel": "2"})
			h.Hook.Store(nil)
			if first.Code == 0 && after < 6 {
				t.Fatalf("the killed run exited 0 after %d writes", after)
			}
			// A killed process's last requests may still be in GitHub's hands; a
			// real re-run comes later than that. Wait until the emulator finished them.
			deadline := time.Now().Add(5 * time.Second)
			for {
				mu.Lock()
				n := arrived
				mu.Unlock()
				if len(h.Emu.Requests()) >= n || time.Now().After(deadline) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
			if r.Code != 0 {
				t.Fatalf("re-run: exit %d\n%s", r.Code, r.Stdout)
			}
			rel := h.Only("v1")
			got := h.AssetContents(rel.ID)
			if rel.Draft || len(got) != 4 {
				t.Fatalf("after the re-run: draft %v, assets %v", rel.Draft, keys(got))
			}
			for name, v := range got {
				if !strings.HasPrefix(v, "uploaded:") {
					t.Fatalf("asset %s is %s", name, v)
				}
			}
		})
	}
}

// TestPublishedMeanwhileIsAdopted: a release for the tag is published between the
// lookup and the create; GitHub answers 422 already_exists and the run uses it.
func TestPublishedMeanwhileIsAdopted(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("dist/app.zip", "zip")
	var once sync.Once
	var other emulator.Release
	hook := func(r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/releases") {
			once.Do(func() {
				other = h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v1", Name: "theirs"})
			})
		}
	}
	h.Hook.Store(&hook)
	r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("v1")
	if rel.ID != other.ID || r.Outputs["created"] != "false" {
		t.Fatalf("release %d (want the one published meanwhile, %d), created=%s", rel.ID, other.ID, r.Outputs["created"])
	}
	if got := h.AssetContents(rel.ID); got["app.zip"] != "uploaded:zip" {
		t.Fatalf("assets %v", got)
	}
}

// TestFailureBeforeAnyUploadRemovesTheDraft: the run creates the draft, then
// fails listing the releases to settle a racing create, before any upload; the
// draft must not stay behind. (A new draft's assets are not listed: it has none.)
func TestFailureBeforeAnyUploadRemovesTheDraft(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("dist/a.zip", "a")
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteListReleases, Skip: 1, Kind: emulator.FaultStatus, Status: 404})
	r := h.Run(map[string]string{"tag": "v1", "files": "dist/*"})
	if r.Code == 0 {
		t.Fatal("exit 0")
	}
	if n := len(h.Emu.Releases(actiontest.Repo)); n != 0 {
		t.Fatalf("%d releases left after the failed run\n%s", n, r.Stdout)
	}
}
