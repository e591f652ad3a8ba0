package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestChannelPrunedToKeepLatest: a nightly channel with a tag per build,
// under immutable releases. A dry run lists what would be pruned and writes
// nothing; the run publishes, then deletes the channel's older releases down
// to keep_latest, keeping the one just published, drafts, and every release
// outside the glob; each delete follows a read of that release by id; git
// tags stay; the summary lists what was deleted.
func TestChannelPrunedToKeepLatest(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Immutable: true})
	base := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	seed := func(tag string, hour int, draft bool) int64 {
		return h.Emu.SeedRelease(repo, emulator.SeedRelease{TagName: tag, Draft: draft, CreatedAt: base.Add(time.Duration(hour) * time.Hour)}).ID
	}
	old1, old2, old3 := seed("nightly-101", 1, false), seed("nightly-102", 2, false), seed("nightly-103", 3, false)
	newest := seed("nightly-104", 4, false)
	draft := seed("nightly-100", 0, true)
	beta := seed("beta-1", 0, false)
	stable := seed("v1.0.0", 0, false)
	// A release whose tag only looks like the channel's: * does not match a /.
	nested := seed("nightly-1/x", 0, false)

	h.Write("dist/app.zip", "build 105")
	in := map[string]string{"tag": "nightly-105", "files": "dist/*", "prerelease": "true", "prune_tags": "nightly-*", "keep_latest": "2"}

	dry := map[string]string{"dry_run": "true"}
	for k, v := range in {
		dry[k] = v
	}
	h.Emu.ResetLog()
	r := h.Run(dry)
	if r.Code != 0 {
		t.Fatalf("dry run: exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Fatalf("the dry run sent %d writes", n)
	}
	for _, tag := range []string{"nightly-101", "nightly-102", "nightly-103"} {
		if !strings.Contains(r.Stdout, "would delete release "+tag) || !strings.Contains(r.Summary, "| "+tag+" |") {
			t.Errorf("the dry run does not list %s\n%s\n%s", tag, r.Stdout, r.Summary)
		}
	}
	if strings.Contains(r.Stdout, "nightly-104 (id") || !strings.Contains(r.Summary, "Would delete 3") {
		t.Errorf("dry run listing:\n%s\n%s", r.Stdout, r.Summary)
	}

	h.Emu.ResetLog()
	r = h.Run(in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("nightly-105")
	if rel.Draft || !rel.Immutable {
		t.Fatalf("nightly-105: %+v", rel)
	}
	var left []int64
	for _, x := range h.Emu.Releases(repo) {
		left = append(left, x.ID)
	}
	for _, id := range []int64{rel.ID, newest, draft, beta, stable, nested} {
		if !slices.Contains(left, id) {
			t.Errorf("release %d was deleted", id)
		}
	}
	for _, id := range []int64{old1, old2, old3} {
		if slices.Contains(left, id) {
			t.Errorf("release %d was kept", id)
		}
	}
	// Each delete follows a read of the same release.
	reqs := h.Emu.Requests()
	deletes := 0
	for i, q := range reqs {
		if q.Route != emulator.RouteDeleteRelease {
			continue
		}
		deletes++
		if i == 0 || reqs[i-1].Route != emulator.RouteGetRelease || reqs[i-1].Path != q.Path {
			t.Errorf("delete %s not preceded by a read of it", q.Path)
		}
	}
	if deletes != 3 {
		t.Errorf("%d deletes, want 3", deletes)
	}
	for _, tag := range []string{"nightly-101", "nightly-102", "nightly-103"} {
		if !slices.Contains(h.Emu.Tags(repo), tag) {
			t.Errorf("git tag %s was deleted", tag)
		}
		if !strings.Contains(r.Summary, "| "+tag+" |") {
			t.Errorf("the summary does not list %s:\n%s", tag, r.Summary)
		}
	}
	if !strings.Contains(r.Summary, "Deleted 3 older releases") {
		t.Errorf("summary:\n%s", r.Summary)
	}

	// The next build keeps two again: 105 and 106.
	h.Write("dist/app.zip", "build 106")
	in["tag"] = "nightly-106"
	mustRun(t, h, in)
	if got := h.ReleasesFor("nightly-104"); len(got) != 0 {
		t.Errorf("nightly-104 was kept: %+v", got)
	}
	if len(h.ReleasesFor("nightly-105")) != 1 || len(h.ReleasesFor("nightly-106")) != 1 {
		t.Errorf("releases left: %v", tagsOf(h))
	}
}

func tagsOf(h *actiontest.Harness) []string {
	var out []string
	for _, r := range h.Emu.Releases(repo) {
		out = append(out, fmt.Sprintf("%s(%d,draft=%v)", r.TagName, r.ID, r.Draft))
	}
	return out
}

// TestPruneLeavesAReleaseChangedMeanwhile: a release of the channel that
// turns back into a draft between the listing and the delete (read again by
// id first) stays, with a warning; the others are pruned.
func TestPruneLeavesAReleaseChangedMeanwhile(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	base := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	moved := h.Emu.SeedRelease(repo, emulator.SeedRelease{TagName: "nightly-1", CreatedAt: base}).ID
	other := h.Emu.SeedRelease(repo, emulator.SeedRelease{TagName: "nightly-2", CreatedAt: base.Add(time.Hour)}).ID
	target := fmt.Sprintf("/repos/%s/releases/%d", repo, moved)
	var once sync.Once
	hook := func(q *http.Request) {
		if q.Method != http.MethodGet || q.URL.Path != target {
			return
		}
		once.Do(func() {
			// Someone unpublishes the release just before the run reads it again.
			body := strings.NewReader(`{"draft":true}`)
			req := httptest.NewRequest(http.MethodPatch, target, body)
			req.Header.Set("Authorization", "Bearer "+actiontest.Token)
			w := httptest.NewRecorder()
			h.Emu.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				t.Errorf("retag: %d %s", w.Code, w.Body)
			}
		})
	}
	h.Hook.Store(&hook)
	h.Write("dist/app.zip", "build 3")
	r := h.Run(map[string]string{"tag": "nightly-3", "files": "dist/*", "prune_tags": "nightly-*", "keep_latest": "1"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if got := h.ReleasesFor("nightly-1"); len(got) != 1 || got[0].ID != moved || !got[0].Draft {
		t.Errorf("the unpublished release was deleted: %v", tagsOf(h))
	}
	if got := h.ReleasesFor("nightly-2"); len(got) != 0 || other == 0 {
		t.Errorf("nightly-2 was kept: %v", tagsOf(h))
	}
	if !strings.Contains(r.Stdout, "not pruned") || !strings.Contains(r.Stdout, "it is a draft now") {
		t.Errorf("no warning about the changed release:\n%s", r.Stdout)
	}
}

// TestPruneFailureIsAWarning: the release is published when pruning starts,
// so a refused delete is a warning: the step succeeds, its outputs are set,
// and the other releases are still pruned.
func TestPruneFailureIsAWarning(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	base := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	for i := range 3 {
		h.Emu.SeedRelease(repo, emulator.SeedRelease{TagName: fmt.Sprintf("nightly-%d", i), CreatedAt: base.Add(time.Duration(i) * time.Hour)})
	}
	h.Emu.Inject(emulator.Fault{Route: emulator.RouteDeleteRelease, Kind: emulator.FaultStatus, Status: 403})
	h.Write("dist/app.zip", "build 3")
	r := h.Run(map[string]string{"tag": "nightly-3", "files": "dist/*", "prune_tags": "nightly-*", "keep_latest": "1"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if r.Outputs["id"] != fmt.Sprint(h.Only("nightly-3").ID) {
		t.Errorf("outputs %v", r.Outputs)
	}
	if !strings.Contains(r.Stdout, "::warning::") || !strings.Contains(r.Summary, "left 1 releases") {
		t.Errorf("no warning:\n%s\n%s", r.Stdout, r.Summary)
	}
	if left := tagsOf(h); len(left) != 2 {
		t.Errorf("releases left: %v (want nightly-3 and the one whose delete was refused)", left)
	}
}
