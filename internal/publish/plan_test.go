package publish

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/core"
)

const (
	sumA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	sumB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func local(name, label string, size int64, sum string) Local {
	return Local{File: assets.File{
		Path: "/w/dist/" + name, Rel: "dist/" + name, Name: name,
		StoredName: assets.GitHubName(name), Label: label, Size: size,
	}, SHA256: sum}
}

func remote(id int64, name, label, state string, size int64, sum string) *Asset {
	a := &Asset{ID: id, Name: name, Label: label, State: state, Size: size}
	if sum != "" {
		a.Digest = "sha256:" + sum
	}
	return a
}

// TestMakePlan covers every kind of existing asset against every option.
func TestMakePlan(t *testing.T) {
	t.Parallel()
	type want struct {
		op      Op // "" = no step for the file
		rename  bool
		relabel bool
		label   string
		err     bool
	}
	existing := []struct {
		name   string
		remote []*Asset
		local  Local
		// results indexed by [overwrite][deleteOther]
		results [2][2]want
	}{
		{
			name:    "none",
			local:   local("app.tar.gz", "", 10, ""),
			results: [2][2]want{{{op: OpUpload}, {op: OpUpload}}, {{op: OpUpload}, {op: OpUpload}}},
		},
		{
			name:    "same content",
			remote:  []*Asset{remote(1, "app.tar.gz", "", "uploaded", 10, sumA)},
			local:   local("app.tar.gz", "", 10, sumA),
			results: [2][2]want{{{op: OpKeep}, {op: OpKeep}}, {{op: OpKeep}, {op: OpKeep}}},
		},
		{
			name:    "same size, different sha256",
			remote:  []*Asset{remote(1, "app.tar.gz", "", "uploaded", 10, sumA)},
			local:   local("app.tar.gz", "", 10, sumB),
			results: [2][2]want{{{err: true}, {err: true}}, {{op: OpReplace}, {op: OpReplace}}},
		},
		{
			name:    "different size",
			remote:  []*Asset{remote(1, "app.tar.gz", "", "uploaded", 11, sumA)},
			local:   local("app.tar.gz", "", 10, ""),
			results: [2][2]want{{{err: true}, {err: true}}, {{op: OpReplace}, {op: OpReplace}}},
		},
		{
			name:    "no digest on the release",
			remote:  []*Asset{remote(1, "app.tar.gz", "", "uploaded", 10, "")},
			local:   local("app.tar.gz", "", 10, sumA),
			results: [2][2]want{{{err: true}, {err: true}}, {{op: OpReplace}, {op: OpReplace}}},
		},
		{
			name:    "starter left by a failed upload",
			remote:  []*Asset{remote(1, "app.tar.gz", "", "starter", 0, "")},
			local:   local("app.tar.gz", "", 10, ""),
			results: [2][2]want{{{op: OpReplace}, {op: OpReplace}}, {{op: OpReplace}, {op: OpReplace}}},
		},
		{
			name:    "renamed by GitHub, same content",
			remote:  []*Asset{remote(1, "my.app.tar.gz", "my app.tar.gz", "uploaded", 10, sumA)},
			local:   local("my app.tar.gz", "", 10, sumA),
			results: [2][2]want{{{op: OpKeep, label: "my app.tar.gz"}, {op: OpKeep, label: "my app.tar.gz"}}, {{op: OpKeep, label: "my app.tar.gz"}, {op: OpKeep, label: "my app.tar.gz"}}},
		},
		{
			name:    "renamed by GitHub, no label yet",
			remote:  []*Asset{remote(1, "my.app.tar.gz", "", "uploaded", 10, sumA)},
			local:   local("my app.tar.gz", "", 10, sumA),
			results: [2][2]want{{{op: OpKeep, relabel: true, label: "my app.tar.gz"}, {op: OpKeep, relabel: true, label: "my app.tar.gz"}}, {{op: OpKeep, relabel: true, label: "my app.tar.gz"}, {op: OpKeep, relabel: true, label: "my app.tar.gz"}}},
		},
		{
			name:    "renamed by GitHub, content changed",
			remote:  []*Asset{remote(1, "my.app.tar.gz", "my app.tar.gz", "uploaded", 10, sumA)},
			local:   local("my app.tar.gz", "", 10, sumB),
			results: [2][2]want{{{err: true}, {err: true}}, {{op: OpReplace, label: "my app.tar.gz"}, {op: OpReplace, label: "my app.tar.gz"}}},
		},
		{
			name:    "label match, same content under an old name",
			remote:  []*Asset{remote(1, "app-old.zip", "App", "uploaded", 10, sumA)},
			local:   local("app-new.zip", "App", 10, sumA),
			results: [2][2]want{{{op: OpKeep, rename: true, label: "App"}, {op: OpKeep, rename: true, label: "App"}}, {{op: OpKeep, rename: true, label: "App"}, {op: OpKeep, rename: true, label: "App"}}},
		},
		{
			name:    "label match, new content",
			remote:  []*Asset{remote(1, "app-1.0.zip", "App", "uploaded", 10, sumA)},
			local:   local("app-1.1.zip", "App", 12, ""),
			results: [2][2]want{{{err: true}, {err: true}}, {{op: OpReplace, rename: true, label: "App"}, {op: OpReplace, rename: true, label: "App"}}},
		},
		{
			name:    "user label differs from the stored one",
			remote:  []*Asset{remote(1, "app.zip", "old", "uploaded", 10, sumA)},
			local:   local("app.zip", "new", 10, sumA),
			results: [2][2]want{{{op: OpKeep, relabel: true, label: "new"}, {op: OpKeep, relabel: true, label: "new"}}, {{op: OpKeep, relabel: true, label: "new"}, {op: OpKeep, relabel: true, label: "new"}}},
		},
	}
	for _, c := range existing {
		for ow := 0; ow < 2; ow++ {
			for del := 0; del < 2; del++ {
				opt := PlanOptions{Overwrite: ow == 1, DeleteOther: del == 1}
				w := c.results[ow][del]
				t.Run(fmt.Sprintf("%s/overwrite=%v/delete_other=%v", c.name, opt.Overwrite, opt.DeleteOther), func(t *testing.T) {
					t.Parallel()
					// An unrelated asset of another job rides along in every case.
					other := remote(99, "other-job.zip", "", "uploaded", 5, sumB)
					rem := append(append([]*Asset{}, c.remote...), other)
					steps, err := MakePlan(rem, []Local{c.local}, opt)
					if w.err {
						if !errors.Is(err, ErrOverwriteRefused) || !strings.Contains(err.Error(), "overwrite: true") {
							t.Fatalf("err = %v, want ErrOverwriteRefused naming the input", err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					var got *Step
					var deleted []string
					for i := range steps {
						switch {
						case steps[i].Op == OpDelete:
							deleted = append(deleted, steps[i].Name)
						case steps[i].Local != nil:
							got = &steps[i]
						}
					}
					if got == nil {
						t.Fatalf("no step for the local file in %+v", steps)
					}
					type shape struct {
						Op              Op
						Rename, Relabel bool
						Label           string
					}
					if d := cmp.Diff(shape{w.op, w.rename, w.relabel, w.label}, shape{got.Op, got.Rename, got.Relabel, got.Label}); d != "" {
						t.Fatalf("step %+v (-want +got):\n%s", got, d)
					}
					if got.Name != c.local.StoredName {
						t.Fatalf("step name = %q, want the stored name %q", got.Name, c.local.StoredName)
					}
					if got.Reason == "" {
						t.Fatal("step has no reason")
					}
					wantDeleted := []string(nil)
					if opt.DeleteOther {
						wantDeleted = []string{"other-job.zip"}
					}
					if strings.Join(deleted, ",") != strings.Join(wantDeleted, ",") {
						t.Fatalf("deleted %v, want %v", deleted, wantDeleted)
					}
				})
			}
		}
	}
}

// TestTemporaryAssetsBelongToTheirRun: a plan deletes a dead run's temporary
// copy and never a live run's, whatever delete_other_assets says.
func TestTemporaryAssetsBelongToTheirRun(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	me := runTag{RunIdentity: core.RunIdentity{ID: 42, Attempt: 2, Job: "release"}, nonce: "0000beef"}
	sibling := runTag{RunIdentity: core.RunIdentity{ID: 42, Attempt: 2, Job: "release"}, nonce: "1111cafe"}
	earlier := runTag{RunIdentity: core.RunIdentity{ID: 42, Attempt: 1, Job: "release"}, nonce: "2222f00d"}
	other := runTag{RunIdentity: core.RunIdentity{ID: 7, Attempt: 3}, nonce: "3333abcd"}
	terminal := runTag{nonce: "4444dead"}
	cases := []struct {
		name    string
		asset   string
		age     time.Duration
		deleted bool
	}{
		{"an earlier attempt of this workflow run", earlier.TempName("app.zip"), time.Minute, true},
		{"a matrix sibling of this attempt", sibling.TempName("app.zip"), time.Minute, false},
		{"another workflow run, recent", other.TempName("app.zip"), time.Minute, false},
		{"another workflow run, past the lease", other.TempName("app.zip"), tempLease + time.Minute, true},
		{"a run outside a workflow, recent", terminal.TempName("app.zip"), time.Hour, false},
		{"a run outside a workflow, past the lease", terminal.TempName("app.zip"), tempLease + time.Second, true},
		{"a temporary copy of a file this run does not have", earlier.TempName("gone.zip"), time.Minute, true},
		{"no creation time", other.TempName("app.zip"), -1, false},
	}
	for _, c := range cases {
		for _, deleteOther := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/delete_other=%v", c.name, deleteOther), func(t *testing.T) {
				t.Parallel()
				tmp := remote(2, c.asset, "", "uploaded", 12, sumB)
				if c.age >= 0 {
					tmp.CreatedAt = now.Add(-c.age)
				}
				rem := []*Asset{remote(1, "app.zip", "", "uploaded", 10, sumA), tmp}
				steps, err := MakePlan(rem, []Local{local("app.zip", "", 10, sumA)}, PlanOptions{Overwrite: true, DeleteOther: deleteOther, Me: me, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				var deleted bool
				for _, s := range steps {
					if s.RemoteID == 2 {
						deleted = s.Op == OpDelete
					}
					if s.RemoteID == 1 && s.Op != OpKeep {
						t.Fatalf("the real asset: %s", FormatPlan(steps))
					}
				}
				if deleted != c.deleted {
					t.Fatalf("%s deleted = %v, want %v; plan:\n%s", c.asset, deleted, c.deleted, FormatPlan(steps))
				}
			})
		}
	}
}

func TestTempNamesParseBack(t *testing.T) {
	t.Parallel()
	for _, tag := range []runTag{
		{RunIdentity: core.RunIdentity{ID: 9223372036854775807, Attempt: 3}, nonce: "a1b2c3d4"},
		{nonce: "a1b2c3d4"},
	} {
		name := tag.TempName("my.app-1.0.tar.gz")
		if assets.GitHubName(name) != name {
			t.Fatalf("GitHub would rename %s to %s", name, assets.GitHubName(name))
		}
		p, ok := parseTemp(name)
		if !ok || p.base != "my.app-1.0.tar.gz" || p.runID != tag.ID || p.attempt != tag.Attempt || p.nonce != tag.nonce {
			t.Fatalf("parseTemp(%s) = %+v, %v", name, p, ok)
		}
		if _, kind := tag.classify(&Asset{Name: name}, time.Now()); kind != tempMine {
			t.Fatalf("%s is not its own run's", name)
		}
	}
}

func TestMakePlanIsSortedAndRendersAsJSON(t *testing.T) {
	t.Parallel()
	steps, err := MakePlan(nil, []Local{local("b.zip", "", 1, ""), local("a b.zip", "", 1, "")}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if steps[0].Name != "a.b.zip" || steps[1].Name != "b.zip" {
		t.Fatalf("order: %s", FormatPlan(steps))
	}
	b, err := json.Marshal(steps)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"op":"upload","name":"a.b.zip","label":"a b.zip","path":"dist/a b.zip","size":1,"reason":"new asset"},{"op":"upload","name":"b.zip","path":"dist/b.zip","size":1,"reason":"new asset"}]`
	if string(b) != want {
		t.Fatalf("json:\n%s\nwant\n%s", b, want)
	}
	text := FormatPlan(steps)
	if !strings.Contains(text, `upload   a.b.zip <- dist/a b.zip [label "a b.zip"]: new asset`) {
		t.Fatalf("text plan:\n%s", text)
	}
}
