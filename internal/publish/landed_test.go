package publish

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

func oneFileJob(t *testing.T) *Job {
	return &Job{Settings: core.Settings{Tag: "v1", Overwrite: true, MaxParallel: 2}, Repository: "o/r", Files: files(t, "a.zip", "a")}
}

func runJob(t *testing.T, f *fakeGitHub, j *Job) (*Result, *logLines, error) {
	t.Helper()
	log := &logLines{}
	p := &Publisher{GH: f, Log: log, TempDir: t.TempDir()}
	res, err := p.Run(context.Background(), j)
	return res, log, err
}

// TestLostCreateAnswer: a create whose answer was lost is sent again only when a
// listing shows it did not land, and the run ends with exactly one release.
func TestLostCreateAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		landed  bool // the create took effect before its answer was lost
		creates int  // creates sent
	}{
		{name: "it landed: adopted, not sent again", landed: true, creates: 1},
		{name: "it did not land: sent again", creates: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			if tc.landed {
				f.lostCreates = 1
			} else {
				f.fail["CreateRelease"], f.failOn["CreateRelease"] = errLost, []int{1}
			}
			res, _, err := runJob(t, f, oneFileJob(t))
			if err != nil {
				t.Fatal(err)
			}
			rels := f.snapshot()
			if len(rels) != 1 || rels[0].Draft || !res.Created {
				t.Fatalf("releases %+v, created %v; want one published release this run created", rels, res.Created)
			}
			if n := f.callsOf("CreateRelease"); n != tc.creates {
				t.Errorf("%d creates sent, want %d", n, tc.creates)
			}
			if got := f.assetNames(rels[0].ID); !slices.Equal(got, []string{"a.zip"}) {
				t.Errorf("assets %v", got)
			}
		})
	}
	t.Run("concurrent drafts: the oldest is kept, the others go", func(t *testing.T) {
		t.Parallel()
		f := newFake()
		f.lostCreates = 1
		f.afterCreate = func() { f.seed(Release{TagName: "v1", Name: "v1", Draft: true}) }
		if _, _, err := runJob(t, f, oneFileJob(t)); err != nil {
			t.Fatal(err)
		}
		if rels := f.snapshot(); len(rels) != 1 || rels[0].Draft {
			t.Fatalf("releases %+v, want one published", rels)
		}
	})
}

// TestFailedRunLeavesNoDraft: whatever fails after the create, the draft this
// run created is removed, and no message blames another run for it.
func TestFailedRunLeavesNoDraft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(f *fakeGitHub)
	}{
		{name: "listing after the create fails", setup: func(f *fakeGitHub) {
			f.fail["ListReleases"], f.failOn["ListReleases"] = notFound("releases"), []int{2}
		}},
		{name: "create answer lost, then the listing fails", setup: func(f *fakeGitHub) {
			f.lostCreates = 1
			f.fail["ListReleases"], f.failOn["ListReleases"] = notFound("releases"), []int{2}
		}},
		{name: "create answer lost three times", setup: func(f *fakeGitHub) {
			f.fail["CreateRelease"] = errLost
		}},
		{name: "a broken upload leaves a starter", setup: func(f *fakeGitHub) {
			f.brokenUploads = 1
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			tc.setup(f)
			res, log, err := runJob(t, f, oneFileJob(t))
			if err == nil {
				t.Fatal("the run succeeded")
			}
			if rels := f.snapshot(); len(rels) != 0 {
				t.Fatalf("left behind: %+v (warnings %q)", rels, res.Warnings)
			}
			for _, w := range append(res.Warnings, log.warns...) {
				if strings.Contains(w, "did not upload") || strings.Contains(w, "another run") {
					t.Errorf("blames another run: %q", w)
				}
			}
		})
	}
}

// TestFailedReplacementRemovesItsTemporaryCopy: on a release the run found, a
// replacement whose upload broke leaves neither its temporary copy nor a change.
func TestFailedReplacementRemovesItsTemporaryCopy(t *testing.T) {
	t.Parallel()
	f := newFake()
	rel := f.seed(Release{TagName: "v1"})
	f.seedAsset(rel.ID, "a.zip", "old")
	f.brokenUploads = 1
	if _, _, err := runJob(t, f, oneFileJob(t)); err == nil {
		t.Fatal("the run succeeded")
	}
	if got := f.assetNames(rel.ID); !slices.Equal(got, []string{"a.zip"}) {
		t.Fatalf("assets %v, want only the old a.zip", got)
	}
	if len(f.snapshot()) != 1 {
		t.Fatal("the release was removed")
	}
}

// TestCancelledDuringCreate: the run is cancelled (a signal) while its create's
// answer is outstanding; the create landed, and the cleanup, under a context of
// its own, finds the draft and removes it.
func TestCancelledDuringCreate(t *testing.T) {
	t.Parallel()
	f := newFake()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.lostCreates, f.onLost = 1, cancel
	p := &Publisher{GH: f, Log: &logLines{}, TempDir: t.TempDir()}
	if _, err := p.Run(ctx, oneFileJob(t)); err == nil {
		t.Fatal("the cancelled run succeeded")
	}
	if rels := f.snapshot(); len(rels) != 0 {
		t.Fatalf("left behind: %+v", rels)
	}
	if n := f.callsOf("CreateRelease"); n != 1 {
		t.Fatalf("%d creates sent after the cancel, want 1", n)
	}
}

// TestRefusedUploadOverABrokenOneBlamesNoOne: a 422 for a name that a broken
// upload holds (this run's own earlier attempt, perhaps) does not say another
// run uploaded it.
func TestRefusedUploadOverABrokenOneBlamesNoOne(t *testing.T) {
	t.Parallel()
	f := newFake()
	rel := f.seed(Release{TagName: "v1", Draft: true})
	f.seedAsset(rel.ID, "a.zip", "a").State = "starter"
	fs := files(t, "a.zip", "a")
	e := &executor{gh: f, log: &logLines{}, rel: rel, parallel: 1}
	_, err := e.apply(context.Background(), Step{Op: OpUpload, Name: "a.zip", Local: &Local{File: fs[0]}})
	if err == nil || strings.Contains(err.Error(), "another run") || !strings.Contains(err.Error(), "broken upload") {
		t.Fatalf("err = %v", err)
	}
}
