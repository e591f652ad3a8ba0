package publish

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

func runTagJob(t *testing.T, f *fakeGitHub, j *Job) (*Result, error) {
	t.Helper()
	p := &Publisher{GH: f, Log: &logLines{}, TempDir: t.TempDir()}
	j.Repository = "o/r"
	return p.Run(context.Background(), j)
}

// writes are the calls that change something on GitHub.
func (f *fakeGitHub) writes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, "Create") || strings.HasPrefix(c, "Update") || strings.HasPrefix(c, "Delete") || c == "UploadAsset" {
			out = append(out, c)
		}
	}
	return out
}

// TestTargetDefaultsToTheBuiltCommit: with no target_commitish, the tag of a
// new release is made on GITHUB_SHA although main moved on.
func TestTargetDefaultsToTheBuiltCommit(t *testing.T) {
	f := newFake()
	built := f.commit("built", sha("root"))
	f.setBranch("main", f.commit("later", built))
	res, err := runTagJob(t, f, &Job{Settings: core.Settings{Tag: "v1", SHA: built}})
	if err != nil || !res.Published {
		t.Fatalf("run: %+v %v", res, err)
	}
	if got := f.tagCommit("v1"); got != built {
		t.Errorf("v1 is on %s, want the built commit %s", got, built)
	}
	// An explicit target still wins.
	if _, err := runTagJob(t, f, &Job{Settings: core.Settings{Tag: "v2", SHA: built, TargetCommitish: "main"}}); err != nil {
		t.Fatal(err)
	}
	if got := f.tagCommit("v2"); got != sha("later") {
		t.Errorf("v2 (target main) is on %s, want main's head", got)
	}
}

// TestMoveTagDecisions covers each comparison: forward, stale, diverged with
// and without force, and a move refused because the tag moved meanwhile.
func TestMoveTagDecisions(t *testing.T) {
	root := sha("root")
	for _, tc := range []struct {
		name    string
		mode    string
		tagOn   string // commit name the tag starts on
		run     string // commit name of the run
		meddle  string // the tag is moved here once an asset is uploaded
		wantOn  string
		wantErr string
		writes  bool
	}{
		{name: "forward", mode: core.MoveTagOn, tagOn: "a", run: "b", wantOn: "b", writes: true},
		{name: "already there", mode: core.MoveTagOn, tagOn: "b", run: "b", wantOn: "b", writes: true},
		{name: "stale", mode: core.MoveTagForce, tagOn: "b", run: "a", wantOn: "b"},
		{name: "diverged", mode: core.MoveTagOn, tagOn: "b", run: "side", wantOn: "b", wantErr: "move_tag: force"},
		{name: "diverged forced", mode: core.MoveTagForce, tagOn: "b", run: "side", wantOn: "side", writes: true},
		{name: "moved meanwhile", mode: core.MoveTagOn, tagOn: "a", run: "b", meddle: "c", wantOn: "c", wantErr: "moved while this run was working", writes: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			a := f.commit("a", root)
			b := f.commit("b", a)
			f.commit("c", b)
			f.commit("side", a)
			rel := f.seed(Release{TagName: "nightly"})
			f.seedAsset(rel.ID, "app.zip", "old build")
			f.setTag("nightly", sha(tc.tagOn))
			if tc.meddle != "" {
				f.afterUpload = func() { f.git.tags["nightly"] = sha(tc.meddle) }
			}
			j := &Job{Settings: core.Settings{Tag: "nightly", SHA: sha(tc.run), MoveTag: tc.mode, Overwrite: true, MaxParallel: 1},
				Files: files(t, "app.zip", "new build")}
			res, err := runTagJob(t, f, j)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if got := f.tagCommit("nightly"); got != sha(tc.wantOn) {
				t.Errorf("tag on %s, want %s", got, sha(tc.wantOn))
			}
			if w := f.writes(); (len(w) > 0) != tc.writes {
				t.Errorf("writes %v, want any: %v", w, tc.writes)
			}
			if tc.name == "stale" && (res.TagNote == "" || !strings.Contains(res.TagNote, "changes nothing")) {
				t.Errorf("the stale run's note: %q", res.TagNote)
			}
			if tc.name == "moved meanwhile" && !errors.Is(err, ErrNotFastForward) {
				t.Errorf("the refusal is not ErrNotFastForward: %v", err)
			}
			if tc.writes && tc.wantErr == "" && tc.tagOn != tc.run && slices.Index(f.calls, "UpdateRef") < slices.Index(f.calls, "UploadAsset") {
				t.Errorf("the tag moved before the assets: %v", f.calls)
			}
		})
	}
}
