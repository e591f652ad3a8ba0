package publish

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/core"
)

// logLines is a Logger that keeps what it is told.
type logLines struct {
	mu    sync.Mutex
	infos []string
	warns []string
}

func (l *logLines) Infof(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.infos = append(l.infos, fmt.Sprintf(format, args...))
}

func (l *logLines) Warningf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warns = append(l.warns, fmt.Sprintf(format, args...))
}

func (*logLines) Group(string) {}
func (*logLines) EndGroup()    {}

// newTestRun is a run of j against f, the way Publisher.Run starts one.
func newTestRun(t *testing.T, f *fakeGitHub, j *Job) *run {
	t.Helper()
	if j.Repository == "" {
		j.Repository = "o/r"
	}
	p := &Publisher{GH: f, Log: &logLines{}, TempDir: t.TempDir()}
	return &run{p: p, j: j, uploaded: map[int64]bool{}, me: newRunTag(j.Runner)}
}

// files writes name=content pairs into a directory and returns them as matched files.
func files(t *testing.T, kv ...string) []assets.File {
	t.Helper()
	dir := t.TempDir()
	var out []assets.File
	for i := 0; i+1 < len(kv); i += 2 {
		p := filepath.Join(dir, kv[i])
		if err := os.WriteFile(p, []byte(kv[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, assets.File{Path: p, Rel: kv[i], Name: kv[i], StoredName: assets.GitHubName(kv[i]),
			Size: int64(len(kv[i+1])), ContentType: "application/octet-stream"})
	}
	return out
}

func TestFind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		seed    []Release
		fail    map[string]error
		wantID  int64 // 0 = no release
		wantErr string
		listed  bool // the releases had to be listed
		warned  bool
	}{
		{name: "nothing yet", listed: true},
		{name: "published", seed: []Release{{TagName: "v1"}}, wantID: 1},
		{name: "a draft, which get-by-tag hides", seed: []Release{{TagName: "v1", Draft: true}}, wantID: 1, listed: true},
		{name: "the oldest of several drafts", seed: []Release{{TagName: "v0", Draft: true}, {TagName: "v1", Draft: true}, {TagName: "v1", Draft: true}}, wantID: 2, listed: true, warned: true},
		{name: "other tags only", seed: []Release{{TagName: "v2", Draft: true}, {TagName: "v10"}}, listed: true},
		{name: "repository missing", fail: map[string]error{"ListReleases": notFound("releases")}, wantErr: `input "repository"`, listed: true},
		{name: "lookup fails", fail: map[string]error{"ReleaseByTag": &APIError{Status: 500}}, wantErr: "look up release v1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			for _, r := range tc.seed {
				f.seed(r)
			}
			f.fail = tc.fail
			r := newTestRun(t, f, &Job{Settings: core.Settings{Tag: "v1"}})
			rel, err := r.find(context.Background())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			if rel != nil {
				id = rel.ID
			}
			if id != tc.wantID {
				t.Errorf("found release %d, want %d", id, tc.wantID)
			}
			if listed := f.callsOf("ListReleases") > 0; listed != tc.listed {
				t.Errorf("listed the releases: %v, want %v", listed, tc.listed)
			}
			if warned := len(r.p.Log.(*logLines).warns) > 0; warned != tc.warned {
				t.Errorf("warned: %v, want %v", warned, tc.warned)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	yes := true
	tests := []struct {
		name        string
		job         Job
		seed        []Release // already there, unseen by the lookup: a concurrent run's
		competitor  bool      // another run's draft lands just after ours
		wantCreated bool
		wantName    string
		wantPre     bool
		wantDraft   bool
		wantLeft    int // releases for the tag afterwards
	}{
		{name: "a draft named after the tag", job: Job{Settings: core.Settings{Tag: "v1"}}, wantCreated: true, wantName: "v1", wantDraft: true, wantLeft: 1},
		{name: "name and prerelease", job: Job{Settings: core.Settings{Tag: "v1", Name: "One", Prerelease: &yes}}, wantCreated: true, wantName: "One", wantPre: true, wantDraft: true, wantLeft: 1},
		{name: "published meanwhile (422)", job: Job{Settings: core.Settings{Tag: "v1"}}, seed: []Release{{TagName: "v1", Name: "theirs"}}, wantName: "theirs", wantLeft: 1},
		{name: "an older draft wins; ours goes", job: Job{Settings: core.Settings{Tag: "v1"}}, seed: []Release{{TagName: "v1", Name: "theirs", Draft: true}}, wantName: "theirs", wantDraft: true, wantLeft: 1},
		{name: "ours is the oldest and stays", job: Job{Settings: core.Settings{Tag: "v1"}}, competitor: true, wantCreated: true, wantName: "v1", wantDraft: true, wantLeft: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			for _, r := range tc.seed {
				f.seed(r)
			}
			if tc.competitor {
				f.afterCreate = func() { f.seed(Release{TagName: "v1", Name: "later", Draft: true}) }
			}
			r := newTestRun(t, f, &tc.job)
			rel, err := r.create(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if rel.Name != tc.wantName || rel.Prerelease != tc.wantPre || rel.Draft != tc.wantDraft || r.created != tc.wantCreated {
				t.Errorf("got %q prerelease=%v draft=%v created=%v; want %q %v %v %v",
					rel.Name, rel.Prerelease, rel.Draft, r.created, tc.wantName, tc.wantPre, tc.wantDraft, tc.wantCreated)
			}
			n := 0
			for _, x := range f.snapshot() {
				if x.TagName == "v1" {
					n++
				}
			}
			if n != tc.wantLeft {
				t.Errorf("%d releases for v1 afterwards, want %d: %+v", n, tc.wantLeft, f.snapshot())
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	yes := true
	tests := []struct {
		name    string
		rel     Release
		job     Job
		created bool
		sent    bool // an update request went out
		warned  bool
		check   func(Release) bool
	}{
		{name: "nothing set", rel: Release{TagName: "v1", Name: "v1"}, job: Job{Settings: core.Settings{Tag: "v1"}}},
		{name: "the same name", rel: Release{TagName: "v1", Name: "One"}, job: Job{Settings: core.Settings{Tag: "v1", Name: "One"}}},
		{name: "a new name", rel: Release{TagName: "v1", Name: "v1"}, job: Job{Settings: core.Settings{Tag: "v1", Name: "One"}}, sent: true,
			check: func(r Release) bool { return r.Name == "One" }},
		{name: "other notes", rel: Release{TagName: "v1", Body: "old"}, job: Job{Settings: core.Settings{Tag: "v1"}, Body: "new", BodySet: true}, sent: true,
			check: func(r Release) bool { return r.Body == "new" }},
		{name: "notes of a release this run created are not sent twice", rel: Release{TagName: "v1", Body: "old"}, job: Job{Settings: core.Settings{Tag: "v1"}, Body: "new", BodySet: true}, created: true},
		{name: "prerelease of an immutable release stays", rel: Release{TagName: "v1", Immutable: true}, job: Job{Settings: core.Settings{Tag: "v1", Prerelease: &yes}}, warned: true},
		{name: "target of a draft", rel: Release{TagName: "v1", Draft: true, TargetCommitish: "main"}, job: Job{Settings: core.Settings{Tag: "v1", TargetCommitish: "dev"}}, sent: true,
			check: func(r Release) bool { return r.TargetCommitish == "dev" }},
		{name: "target of a published release is GitHub's to ignore", rel: Release{TagName: "v1", TargetCommitish: "main"}, job: Job{Settings: core.Settings{Tag: "v1", TargetCommitish: "dev"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(tc.rel)
			r := newTestRun(t, f, &tc.job)
			r.created = tc.created
			got, err := r.update(context.Background(), rel)
			if err != nil {
				t.Fatal(err)
			}
			if sent := f.callsOf("UpdateRelease") > 0; sent != tc.sent {
				t.Errorf("sent an update: %v, want %v", sent, tc.sent)
			}
			wantWarnings(t, r, tc.warned)
			if tc.check != nil && !tc.check(*got) {
				t.Errorf("release after the update: %+v", got)
			}
		})
	}
}

func TestPublishStep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		rel           Release
		latest        bool // rel is already the latest release
		job           Job
		wantDraft     bool
		wantPublished bool // this run published it
		wantUpdates   int
		warned        bool
	}{
		{name: "draft: true keeps the draft", rel: Release{TagName: "v1", Draft: true}, job: Job{Settings: core.Settings{Tag: "v1", Draft: true}}, wantDraft: true},
		{name: "draft: true never unpublishes", rel: Release{TagName: "v1"}, job: Job{Settings: core.Settings{Tag: "v1", Draft: true}}, warned: true},
		{name: "a draft is published", rel: Release{TagName: "v1", Draft: true}, job: Job{Settings: core.Settings{Tag: "v1", DiscussionCategory: "News", MakeLatest: "true"}}, wantPublished: true, wantUpdates: 1},
		{name: "published and left alone", rel: Release{TagName: "v1"}, job: Job{Settings: core.Settings{Tag: "v1"}}},
		{name: "make_latest on the latest asks nothing", rel: Release{TagName: "v1"}, latest: true, job: Job{Settings: core.Settings{Tag: "v1", MakeLatest: "true"}}},
		{name: "make_latest on another makes it latest", rel: Release{TagName: "v1"}, job: Job{Settings: core.Settings{Tag: "v1", MakeLatest: "true"}}, wantUpdates: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			other := f.seed(Release{TagName: "v0"})
			rel := f.seed(tc.rel)
			f.latest = other.ID
			if tc.latest {
				f.latest = rel.ID
			}
			r := newTestRun(t, f, &tc.job)
			got, err := r.publish(context.Background(), rel)
			if err != nil {
				t.Fatal(err)
			}
			if got.Draft != tc.wantDraft || r.published != tc.wantPublished {
				t.Errorf("draft=%v published=%v, want %v %v", got.Draft, r.published, tc.wantDraft, tc.wantPublished)
			}
			if n := f.callsOf("UpdateRelease"); n != tc.wantUpdates {
				t.Errorf("%d updates, want %d", n, tc.wantUpdates)
			}
			wantWarnings(t, r, tc.warned)
		})
	}
}

func TestCleanup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		draft   bool
		ours    int // assets this run uploaded
		foreign int // assets another run uploaded
		removed bool
		warned  bool
	}{
		{name: "an empty draft goes", draft: true, removed: true},
		{name: "a draft holding only our uploads goes", draft: true, ours: 2, removed: true},
		{name: "a draft another run uploaded to stays", draft: true, ours: 1, foreign: 1, warned: true},
		{name: "a published release is never removed", ours: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(Release{TagName: "v1", Draft: tc.draft})
			r := newTestRun(t, f, &Job{Settings: core.Settings{Tag: "v1"}})
			r.release, r.created = rel, true
			for i := range tc.ours {
				r.uploaded[f.seedAsset(rel.ID, fmt.Sprint("ours-", i), "x").ID] = true
			}
			for i := range tc.foreign {
				f.seedAsset(rel.ID, fmt.Sprint("theirs-", i), "y")
			}
			r.cleanup(context.Background(), "failed")
			if removed := len(f.snapshot()) == 0; removed != tc.removed {
				t.Errorf("removed: %v, want %v", removed, tc.removed)
			}
			wantWarnings(t, r, tc.warned)
		})
	}
}

// TestConcurrentRunsEndInOneRelease: matrix jobs that all miss each other's
// drafts in the lookup still end with one published release holding each file once.
func TestConcurrentRunsEndInOneRelease(t *testing.T) {
	t.Parallel()
	f := newFake()
	fs := files(t, "a.zip", "a", "b.zip", "b")
	const runs = 4
	var start, done sync.WaitGroup
	start.Add(runs)
	errs := make([]error, runs)
	for i := range runs {
		done.Go(func() {
			p := &Publisher{GH: f, Log: &logLines{}, TempDir: t.TempDir()}
			start.Done()
			start.Wait()
			_, errs[i] = p.Run(context.Background(), &Job{Settings: core.Settings{Tag: "v1", Overwrite: true, MaxParallel: 2}, Repository: "o/r", Files: fs})
		})
	}
	done.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("run %d: %v", i, err)
		}
	}
	rels := f.snapshot()
	if len(rels) != 1 || rels[0].Draft {
		t.Fatalf("releases afterwards: %+v, want one published", rels)
	}
	if got := f.assetNames(rels[0].ID); !slices.Equal(got, []string{"a.zip", "b.zip"}) {
		t.Errorf("assets %v", got)
	}
}

// TestOnePlanPerRun: whatever the run reads the plan for (the immutable check,
// the dry run, the executor), an existing release's assets are listed once.
func TestOnePlanPerRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rel  Release
		job  Job
	}{
		{name: "an update", rel: Release{TagName: "v1"}, job: Job{Settings: core.Settings{Tag: "v1"}}},
		{name: "an immutable release", rel: Release{TagName: "v1", Immutable: true}, job: Job{Settings: core.Settings{Tag: "v1"}}},
		{name: "a dry run", rel: Release{TagName: "v1", Immutable: true}, job: Job{Settings: core.Settings{Tag: "v1", DryRun: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(tc.rel)
			f.seedAsset(rel.ID, "a.zip", "a")
			tc.job.Files, tc.job.Overwrite, tc.job.MaxParallel = files(t, "a.zip", "a"), true, 2
			p := &Publisher{GH: f, Log: &logLines{}, TempDir: t.TempDir()}
			res, err := p.Run(context.Background(), &tc.job)
			if err != nil {
				t.Fatal(err)
			}
			if n := f.callsOf("ListAssets"); n != 1 {
				t.Errorf("listed the assets %d times, want once", n)
			}
			want := ActionKept
			if tc.job.DryRun {
				want = ActionWouldKeep // a dry run only says what it would do
			}
			if len(res.Assets) != 1 || res.Assets[0].Action != want {
				t.Errorf("assets output %+v, want a.zip %s", res.Assets, want)
			}
		})
	}
}

func wantWarnings(t *testing.T, r *run, want bool) {
	t.Helper()
	if got := len(r.warnings) > 0; got != want {
		t.Errorf("warnings %q, want some: %v", r.warnings, want)
	}
}
