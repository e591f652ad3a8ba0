package publish

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

// another is what a concurrent run does at one point of this run's replacement.
type another func(f *fakeGitHub, relID int64, old *Asset)

// once calls act the first time this run calls method.
func once(f *fakeGitHub, relID int64, old *Asset, method string, act another) {
	var o sync.Once
	f.before = func(m string) {
		if m == method {
			o.Do(func() { act(f, relID, old) })
		}
	}
}

func deleteOld(f *fakeGitHub, _ int64, old *Asset) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, rel := f.asset(old.ID)
	f.assets[rel] = slices.DeleteFunc(f.assets[rel], func(x *Asset) bool { return x.ID == old.ID })
}

// takeName: another run's replacement of the same name finished first: the
// old asset is gone and its own asset holds the name.
func takeName(content string) another {
	return func(f *fakeGitHub, relID int64, old *Asset) {
		deleteOld(f, relID, old)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.storeAsset(relID, old.Name, "", []byte(content))
	}
}

// TestConcurrentReplacement: whatever another run does to the same name in the
// middle of this run's replacement, the release ends with exactly one asset of
// that name and no temporary copy, and this run's result says what is there.
func TestConcurrentReplacement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		when    string // the call of this run before which the other run acts
		act     another
		want    string // the content of a.zip in the end
		err     error  // nil: the run succeeds
		action  Action
		renames int // renames this run sent
	}{
		{name: "the other run replaced it first with other content", when: "UpdateAsset", act: takeName("theirs"), want: "theirs", err: errConflict, renames: 1},
		{name: "the other run replaced it first with the same content", when: "UpdateAsset", act: takeName("a"), want: "a", action: ActionKept, renames: 1},
		{name: "the other run deleted the old asset first", when: "GetAsset", act: deleteOld, want: "a", action: ActionReplaced, renames: 1},
		{name: "the other run finished before this run's delete", when: "GetAsset", act: takeName("theirs"), want: "theirs", err: errConflict, renames: 1},
		{name: "the other run renamed the old asset away", when: "GetAsset", act: func(f *fakeGitHub, _ int64, old *Asset) {
			f.mu.Lock()
			defer f.mu.Unlock()
			a, _ := f.asset(old.ID)
			a.Name = "elsewhere.zip"
		}, want: "", err: ErrChangedMeanwhile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(Release{TagName: "v1"})
			old := f.seedAsset(rel.ID, "a.zip", "old")
			once(f, rel.ID, old, tc.when, tc.act)
			res, log, err := runJob(t, f, oneFileJob(t))
			if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v\nlog:\n%s", err, tc.err, log)
			}
			byName := map[string]string{}
			for _, a := range f.assets[rel.ID] {
				byName[a.Name] = string(f.content[a.ID])
			}
			names := slices.Sorted(maps.Keys(byName))
			if tc.want != "" && (len(names) != 1 || names[0] != "a.zip" || byName["a.zip"] != tc.want) {
				t.Fatalf("assets %v, want exactly a.zip holding %q\nlog:\n%s", byName, tc.want, log)
			}
			for _, n := range names {
				if strings.Contains(n, ".replacing-") {
					t.Fatalf("temporary copy %s left on the release\nlog:\n%s", n, log)
				}
			}
			if tc.err == nil {
				if len(res.Assets) != 1 || res.Assets[0].Action != tc.action {
					t.Fatalf("assets output %+v, want a.zip %s", res.Assets, tc.action)
				}
			}
			if n := f.callsOf("UpdateAsset"); n != tc.renames {
				t.Fatalf("%d renames, want %d", n, tc.renames)
			}
		})
	}
}

// TestUploadRaceKeepsOnlyTheSameBytes: a new name that another run uploads
// between this run's plan and its upload (GitHub answers 422) counts as this
// run's only when it holds the same bytes.
func TestUploadRaceKeepsOnlyTheSameBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		theirs string
		err    error
	}{{theirs: "a"}, {theirs: "other bytes", err: errConflict}} {
		t.Run(tc.theirs, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(Release{TagName: "v1"})
			once(f, rel.ID, nil, "UploadAsset", func(f *fakeGitHub, relID int64, _ *Asset) {
				f.mu.Lock()
				defer f.mu.Unlock()
				f.storeAsset(relID, "a.zip", "", []byte(tc.theirs))
			})
			res, log, err := runJob(t, f, oneFileJob(t))
			if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v\nlog:\n%s", err, tc.err, log)
			}
			if got := f.assetNames(rel.ID); !slices.Equal(got, []string{"a.zip"}) {
				t.Fatalf("assets %v", got)
			}
			if tc.err == nil && (len(res.Assets) != 1 || res.Assets[0].Action != ActionKept) {
				t.Fatalf("assets output %+v, want a.zip kept", res.Assets)
			}
		})
	}
}

// TestLiveTemporaryCopyIsLeftAlone: a run that finds another live run's
// temporary copy does not delete it, even with delete_other_assets; one that
// finds an earlier attempt's copy of its own workflow run removes it.
func TestLiveTemporaryCopyIsLeftAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		owner   core.RunIdentity
		deleted bool
	}{
		{name: "a matrix sibling's", owner: core.RunIdentity{ID: 5, Attempt: 1, Job: "j"}},
		{name: "an earlier attempt's", owner: core.RunIdentity{ID: 5, Attempt: 0 + 1}, deleted: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(Release{TagName: "v1"})
			f.seedAsset(rel.ID, "a.zip", "a")
			tmpName := newRunTag(tc.owner).TempName("a.zip")
			f.seedAsset(rel.ID, tmpName, "new")
			j := oneFileJob(t)
			j.DeleteOther = true
			j.Runner = core.RunIdentity{ID: 5, Attempt: 1, Job: "j"}
			if tc.deleted {
				j.Runner.Attempt = 2
			}
			if _, log, err := runJob(t, f, j); err != nil {
				t.Fatalf("%v\nlog:\n%s", err, log)
			}
			left := slices.Contains(f.assetNames(rel.ID), tmpName)
			if left == tc.deleted {
				t.Fatalf("%s left = %v, want %v", tmpName, left, !tc.deleted)
			}
		})
	}
}

// TestDeleteChecksTheAssetFirst: delete_other_assets deletes by the id it
// planned on, and only while that id still carries the planned name and size.
func TestDeleteChecksTheAssetFirst(t *testing.T) {
	t.Parallel()
	f := newFake()
	rel := f.seed(Release{TagName: "v1"})
	f.seedAsset(rel.ID, "a.zip", "a")
	stale := f.seedAsset(rel.ID, "stale.zip", "s")
	once(f, rel.ID, stale, "GetAsset", func(f *fakeGitHub, _ int64, old *Asset) {
		f.mu.Lock()
		defer f.mu.Unlock()
		a, _ := f.asset(old.ID)
		a.Name = "renamed-by-another-run.zip"
	})
	j := oneFileJob(t)
	j.DeleteOther = true
	_, log, err := runJob(t, f, j)
	if !errors.Is(err, ErrChangedMeanwhile) {
		t.Fatalf("err = %v, want ErrChangedMeanwhile\nlog:\n%s", err, log)
	}
	if !slices.Contains(f.assetNames(rel.ID), "renamed-by-another-run.zip") {
		t.Fatalf("the renamed asset was deleted: %v", f.assetNames(rel.ID))
	}
	if n := f.callsOf("DeleteAsset"); n != 0 {
		t.Fatalf("%d deletes sent", n)
	}
}

// String shows the log in a failure message.
func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.infos, "\n") + "\nwarnings:\n" + strings.Join(l.warns, "\n")
}
