package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

func TestPlannedWrites(t *testing.T) {
	t.Parallel()
	steps := []Step{
		{Op: OpUpload}, {Op: OpDelete}, {Op: OpReplace}, {Op: OpKeep},
		{Op: OpKeep, Rename: true}, {Op: OpKeep, Relabel: true},
	}
	plan := &assetPlan{steps: steps}
	// 1 + 1 + 3 + 0 + 1 + 1 = 7 asset writes.
	cases := []struct {
		name string
		rel  *Release
		job  Job
		want int
	}{
		{name: "new release, published", job: Job{}, want: 7 + 2},
		{name: "new release, left a draft", job: Job{Settings: core.Settings{Draft: true}}, want: 7 + 1},
		{name: "published release", rel: &Release{}, want: 7 + 1},
		{name: "draft published now", rel: &Release{Draft: true}, want: 7 + 2},
		{name: "with a new checksum list", rel: &Release{}, job: Job{Settings: core.Settings{Checksums: "SUMS"}}, want: 7 + 1 + 3},
	}
	for _, c := range cases {
		if got := plannedWrites(c.rel, plan, &c.job); got != c.want {
			t.Errorf("%s: %d writes, want %d", c.name, got, c.want)
		}
	}
	// With attest: an uploaded file's bundle is an upload, a replaced one's a
	// replacement, and the attestation one request; kept files and bundles
	// the plan already holds add nothing.
	l := &Local{}
	attested := &assetPlan{steps: []Step{{Op: OpUpload, Local: l}, {Op: OpReplace, Local: l}, {Op: OpKeep, Local: l},
		{Op: OpUpload, Local: &Local{Generated: true}}}}
	job := Job{Settings: core.Settings{Attest: true}}
	if got, want := plannedWrites(&Release{}, attested, &job), 1+(1+3+0+1)+(1+3)+1; got != want {
		t.Errorf("attest: %d writes, want %d", got, want)
	}
	job.Checksums = "SUMS"
	if got, want := plannedWrites(&Release{}, attested, &job), 1+(1+3+0+1)+(1+3)+1+3+4; got != want {
		t.Errorf("attest with a checksum list: %d writes, want %d", got, want)
	}
}

// TestTooManyAssetsChangesNothing: a plan that would take the release past
// GitHub's 1,000 assets fails before the first write; one that keeps a full
// release as it is goes through.
func TestTooManyAssetsChangesNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		existing int
		local    []string // name, content pairs
		delOther bool
		wantErr  bool
	}{
		{name: "two uploads onto 999", existing: 999, local: []string{"new1.zip", "a", "new2.zip", "b"}, wantErr: true},
		{name: "one upload onto 999", existing: 999, local: []string{"new1.zip", "a"}},
		{name: "a full release kept", existing: 1000, local: []string{"old-0.zip", "0"}},
		// Deletions run after the uploads: the release would hold 1,001 first.
		{name: "swap one of 1,000", existing: 1000, local: []string{"new1.zip", "a"}, delOther: true, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			rel := f.seed(Release{TagName: "v1"})
			for i := range c.existing {
				f.seedAsset(rel.ID, fmt.Sprintf("old-%d.zip", i), fmt.Sprint(i))
			}
			r := newTestRun(t, f, &Job{Settings: core.Settings{Tag: "v1", Overwrite: true, DeleteOther: c.delOther, MaxParallel: 4}, Files: files(t, c.local...)})
			err := r.run(context.Background())
			if !c.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "at most 1000") || !strings.Contains(err.Error(), `"files"`) {
				t.Fatalf("error %v, want one about GitHub's 1000 assets naming the files input", err)
			}
			for _, call := range f.calls {
				if !strings.HasPrefix(call, "List") && !strings.HasPrefix(call, "Release") && !strings.HasPrefix(call, "Get") {
					t.Errorf("%s sent, though the plan could not finish", call)
				}
			}
		})
	}
}

// TestWriteBudgetWarnsBeforeTheFirstWrite: more writes than GitHub's hourly
// budget are announced before the release is even created.
func TestWriteBudgetWarnsBeforeTheFirstWrite(t *testing.T) {
	t.Parallel()
	for _, n := range []int{100, 499} { // 499 uploads + create + publish = 501
		f := newFake()
		f.fail["CreateRelease"] = errors.New("stop here")
		var kv []string
		for i := range n {
			kv = append(kv, fmt.Sprintf("f%d.txt", i), "x")
		}
		r := newTestRun(t, f, &Job{Settings: core.Settings{Tag: "v1", MaxParallel: 4}, Files: files(t, kv...)})
		if err := r.run(context.Background()); err == nil {
			t.Fatal("the create did not fail")
		}
		warned := strings.Contains(strings.Join(r.warnings, "\n"), "content-creating requests")
		if want := n == 499; warned != want {
			t.Errorf("%d uploads: warned %v before the create, want %v (%q)", n, warned, want, r.warnings)
		}
	}
}
