package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const gitRepoName = "octo/demo"

// gitFixture is a repository with this graph (main at c3, feature at f1):
//
//	initial ← c1 ← c2 ← c3
//	           ↖ f1
//
// plus u1, a root unrelated to the rest, and tags: v1 (lightweight, on c1), v2
// (annotated, on c2), pkg/v1.2.3 (lightweight, on c3).
type gitFixture struct {
	g                    *Git
	root, c1, c2, c3, f1 string
	u1, v2Object         string
}

func newGitFixture(t *testing.T) *gitFixture {
	t.Helper()
	clock := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	f := &gitFixture{
		g:    NewGit(DotCom, func() time.Time { clock = clock.Add(time.Minute); return clock }),
		root: InitialCommit(gitRepoName),
		c1:   CommitSHA("c1"), c2: CommitSHA("c2"), c3: CommitSHA("c3"),
		f1: CommitSHA("f1"), u1: CommitSHA("u1"),
	}
	f.g.AddRepo(gitRepoName)
	f.g.SeedCommit(gitRepoName, f.c1, f.root)
	f.g.SeedCommit(gitRepoName, f.c2, f.c1)
	f.g.SeedCommit(gitRepoName, f.c3, f.c2)
	f.g.SeedCommit(gitRepoName, f.f1, f.c1)
	f.g.SeedCommit(gitRepoName, f.u1)
	f.g.SetBranchHead(gitRepoName, "main", f.c3)
	f.g.SetBranchHead(gitRepoName, "feature", f.f1)
	f.g.SeedTag(gitRepoName, "v1", f.c1)
	f.v2Object = f.g.SeedAnnotatedTag(gitRepoName, "v2", f.c2, "Release 2\n\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n")
	f.g.SeedTag(gitRepoName, "pkg/v1.2.3", f.c3)
	return f
}

// call runs one handler on a recorded request and decodes its JSON answer.
// That the answers match GitHub's published description is checked in
// internal/conformance (TestEmulatorGitAnswersConform), which has the npm
// packages; these tests need nothing but Go.
func call(t *testing.T, op specOp, body string, h func(http.ResponseWriter, *http.Request)) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(op.method, "http://127.0.0.1:8080"+op.example, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %v\n%s", op.method, op.example, err, rec.Body.String())
	}
	return rec.Code, out
}

// specOp is a request: its method and path.
type specOp struct {
	method, example string
}

func opGetRef(ref string) specOp {
	return specOp{http.MethodGet, "/repos/octo/demo/git/ref/" + ref}
}

func opUpdateRef(ref string) specOp {
	return specOp{http.MethodPatch, "/repos/octo/demo/git/refs/" + ref}
}

var (
	opCreateRef = specOp{http.MethodPost, "/repos/octo/demo/git/refs"}
	opGetTag    = specOp{http.MethodGet, "/repos/octo/demo/git/tags/x"}
	opCompare   = specOp{http.MethodGet, "/repos/octo/demo/compare/x...y"}
)

func objectOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	o, ok := m["object"].(map[string]any)
	if !ok {
		t.Fatalf("no object in %v", m)
	}
	return o
}

func TestGitGetRef(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	cases := []struct {
		name, owner, ref string
		status           int
		typ, sha         string
	}{
		{"lightweight tag points at its commit", "octo", "tags/v1", 200, "commit", f.c1},
		{"annotated tag points at its tag object", "octo", "tags/v2", 200, "tag", f.v2Object},
		{"tag with slashes", "octo", "tags/pkg/v1.2.3", 200, "commit", f.c3},
		{"branch", "octo", "heads/main", 200, "commit", f.c3},
		{"owner is case-insensitive", "OCTO", "heads/feature", 200, "commit", f.f1},
		{"unknown tag", "octo", "tags/v9", 404, "", ""},
		{"a prefix of a ref is not the ref", "octo", "tags/pkg", 404, "", ""},
		{"full refs/ form is not accepted", "octo", "refs/tags/v1", 404, "", ""},
		{"unknown repository", "nobody", "tags/v1", 404, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, out := call(t, opGetRef(tc.ref), "", func(w http.ResponseWriter, r *http.Request) {
				f.g.getRef(w, r, tc.owner, "demo", tc.ref)
			})
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, out)
			}
			if tc.status != 200 {
				return
			}
			obj := objectOf(t, out)
			if out["ref"] != "refs/"+tc.ref || obj["type"] != tc.typ || obj["sha"] != tc.sha {
				t.Errorf("got ref %v object %v, want refs/%s %s %s", out["ref"], obj, tc.ref, tc.typ, tc.sha)
			}
		})
	}
}

func TestGitCreateRef(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	cases := []struct {
		name, body string
		status     int
		message    string
	}{
		{"new tag", `{"ref":"refs/tags/v3","sha":"` + f.c3 + `"}`, 201, ""},
		{"existing tag", `{"ref":"refs/tags/v1","sha":"` + f.c3 + `"}`, 422, "Reference already exists"},
		{"unknown commit", `{"ref":"refs/tags/v4","sha":"` + CommitSHA("nope") + `"}`, 422, "Object does not exist"},
		{"short ref", `{"ref":"tags/v5","sha":"` + f.c3 + `"}`, 422, "Reference name must contain at least three slash-separated components."},
		{"invalid name", `{"ref":"refs/tags/v 6","sha":"` + f.c3 + `"}`, 422, "refs/tags/v 6 is not a valid ref name."},
		{"missing sha", `{"ref":"refs/tags/v7"}`, 422, "Invalid request.\n\n\"sha\" wasn't supplied."},
		{"sha not a string", `{"ref":"refs/tags/v8","sha":1}`, 422, "Invalid request.\n\nFor 'properties/sha', 1 is not a string."},
	}
	for _, tc := range cases {
		// Sequential: the cases share the fixture, and the check after the loop
		// must see all of them done.
		t.Run(tc.name, func(t *testing.T) {
			var loc string
			status, out := call(t, opCreateRef, tc.body, func(w http.ResponseWriter, r *http.Request) {
				f.g.createRef(w, r, "octo", "demo")
				loc = w.Header().Get("Location")
			})
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, out)
			}
			if tc.status != 201 {
				if out["message"] != tc.message {
					t.Errorf("message %q, want %q", out["message"], tc.message)
				}
				return
			}
			if got, _ := f.g.TagCommit(gitRepoName, "v3"); got != f.c3 {
				t.Errorf("v3 is at %q, want %s", got, f.c3)
			}
			if loc != out["url"] || !strings.HasSuffix(loc, "/repos/octo/demo/git/refs/tags/v3") {
				t.Errorf("Location %q, url %v", loc, out["url"])
			}
		})
	}
	if got, _ := f.g.TagCommit(gitRepoName, "v1"); got != f.c1 {
		t.Errorf("a refused create moved v1 to %s", got)
	}
}

func TestGitUpdateRef(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ref, body string // body: %s is replaced by the fixture's SHAs below
		status          int
		message         string
		wantAt          func(f *gitFixture) string // where the ref's commit is afterwards
	}{
		{"fast forward", "tags/v1", `{"sha":"C3"}`, 200, "", func(f *gitFixture) string { return f.c3 }},
		{"same commit", "tags/v1", `{"sha":"C1","force":false}`, 200, "", func(f *gitFixture) string { return f.c1 }},
		{"backwards without force", "tags/pkg/v1.2.3", `{"sha":"C1"}`, 422, "Update is not a fast forward", func(f *gitFixture) string { return f.c3 }},
		{"sideways without force", "tags/v1", `{"sha":"U1"}`, 422, "Update is not a fast forward", func(f *gitFixture) string { return f.c1 }},
		{"sideways with force", "tags/pkg/v1.2.3", `{"sha":"F1","force":true}`, 200, "", func(f *gitFixture) string { return f.f1 }},
		{"annotated tag forward", "tags/v2", `{"sha":"C3"}`, 200, "", func(f *gitFixture) string { return f.c3 }},
		{"unknown ref", "tags/v9", `{"sha":"C3"}`, 422, "Reference does not exist", nil},
		{"full refs/ form is not the ref", "refs/tags/v1", `{"sha":"C3"}`, 422, "Reference does not exist", func(f *gitFixture) string { return f.c1 }},
		{"unknown commit", "tags/v1", `{"sha":"NOPE"}`, 422, "Object does not exist", func(f *gitFixture) string { return f.c1 }},
		{"force not a boolean", "tags/v1", `{"sha":"C3","force":"yes"}`, 422, "Invalid request.\n\nFor 'properties/force', \"yes\" is not a boolean.", func(f *gitFixture) string { return f.c1 }},
		{"sha missing", "tags/v1", `{"force":true}`, 422, "Invalid request.\n\n\"sha\" wasn't supplied.", func(f *gitFixture) string { return f.c1 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newGitFixture(t)
			body := strings.NewReplacer("C1", f.c1, "C3", f.c3, "F1", f.f1, "U1", f.u1, "NOPE", CommitSHA("nope")).Replace(tc.body)
			status, out := call(t, opUpdateRef(tc.ref), body, func(w http.ResponseWriter, r *http.Request) {
				f.g.updateRef(w, r, "octo", "demo", tc.ref)
			})
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, out)
			}
			if tc.status != 200 && out["message"] != tc.message {
				t.Errorf("message %q, want %q", out["message"], tc.message)
			}
			if tc.wantAt == nil {
				return
			}
			tag := strings.TrimPrefix(strings.TrimPrefix(tc.ref, "refs/"), "tags/")
			if got, _ := f.g.TagCommit(gitRepoName, tag); got != tc.wantAt(f) {
				t.Errorf("%s is at %s, want %s", tag, got, tc.wantAt(f))
			}
		})
	}
}

func TestGitUpdateRefRefusesLockedTag(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	f.g.SetTagLocked(gitRepoName, "v1", true)
	for _, force := range []string{"false", "true"} {
		status, out := call(t, opUpdateRef("tags/v1"), `{"sha":"`+f.c3+`","force":`+force+`}`, func(w http.ResponseWriter, r *http.Request) {
			f.g.updateRef(w, r, "octo", "demo", "tags/v1")
		})
		if status != 422 || !strings.Contains(out["message"].(string), "immutable release") {
			t.Errorf("force=%s: %d %v, want 422 naming the immutable release", force, status, out)
		}
	}
	if got, _ := f.g.TagCommit(gitRepoName, "v1"); got != f.c1 {
		t.Errorf("locked v1 moved to %s", got)
	}
	// Once the immutable release is deleted, the tag may move again.
	f.g.SetTagLocked(gitRepoName, "v1", false)
	if status, out := call(t, opUpdateRef("tags/v1"), `{"sha":"`+f.c3+`"}`, func(w http.ResponseWriter, r *http.Request) {
		f.g.updateRef(w, r, "octo", "demo", "tags/v1")
	}); status != 200 {
		t.Errorf("moving a freed tag: %d %v", status, out)
	}
	// Other tags still move.
	status, _ := call(t, opUpdateRef("tags/pkg/v1.2.3"), `{"sha":"`+f.f1+`","force":true}`, func(w http.ResponseWriter, r *http.Request) {
		f.g.updateRef(w, r, "octo", "demo", "tags/pkg/v1.2.3")
	})
	if status != 200 {
		t.Errorf("moving an unlocked tag: %d", status)
	}
}

func TestGitGetTag(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	status, out := call(t, opGetTag, "", func(w http.ResponseWriter, r *http.Request) {
		f.g.getTag(w, r, "octo", "demo", f.v2Object)
	})
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	obj := objectOf(t, out)
	if out["tag"] != "v2" || out["sha"] != f.v2Object || obj["sha"] != f.c2 || obj["type"] != "commit" ||
		!strings.HasPrefix(out["message"].(string), "Release 2\n\n-----BEGIN PGP SIGNATURE-----") {
		t.Errorf("tag object %v", out)
	}
	// A lightweight tag has no tag object: its ref's SHA is a commit.
	status, out = call(t, opGetTag, "", func(w http.ResponseWriter, r *http.Request) {
		f.g.getTag(w, r, "octo", "demo", f.c1)
	})
	if status != 404 {
		t.Errorf("a commit SHA read as a tag object: %d %v", status, out)
	}
}

func TestGitCompare(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	cases := []struct {
		name, basehead  string
		status          int
		want            string
		ahead, behind   int
		commits         []string
		base, mergeBase string
	}{
		{"ahead", "v1..." + f.c3, 200, "ahead", 2, 0, []string{f.c2, f.c3}, f.c1, f.c1},
		{"behind: an older run against a newer tag", "pkg/v1.2.3..." + f.c1, 200, "behind", 0, 2, []string{}, f.c3, f.c1},
		{"identical", "main..." + f.c3, 200, "identical", 0, 0, []string{}, f.c3, f.c3},
		{"diverged", "main...feature", 200, "diverged", 1, 2, []string{f.f1}, f.c3, f.c1},
		{"annotated tag is peeled", "v2...main", 200, "ahead", 1, 0, []string{f.c3}, f.c2, f.c2},
		{"short SHAs and owner prefix", "octo:" + f.c1[:7] + "..." + f.c2[:12], 200, "ahead", 1, 0, []string{f.c2}, f.c1, f.c1},
		{"unknown side", "main...nope", 404, "", 0, 0, nil, "", ""},
		{"another owner's fork", "other:main...main", 404, "", 0, 0, nil, "", ""},
		{"two dots is not the form", "main..feature", 404, "", 0, 0, nil, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, out := call(t, opCompare, "", func(w http.ResponseWriter, r *http.Request) {
				f.g.compareCommits(w, r, "octo", "demo", tc.basehead)
			})
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, out)
			}
			if status != 200 {
				return
			}
			type comparison struct {
				Status               any
				Ahead, Behind, Total any
				Commits              []string
				Base, MergeBase      any
			}
			got := comparison{Status: out["status"], Ahead: out["ahead_by"], Behind: out["behind_by"], Total: out["total_commits"],
				Commits: []string{}, Base: out["base_commit"].(map[string]any)["sha"], MergeBase: out["merge_base_commit"].(map[string]any)["sha"]}
			for _, c := range out["commits"].([]any) {
				got.Commits = append(got.Commits, c.(map[string]any)["sha"].(string))
			}
			want := comparison{Status: tc.want, Ahead: float64(tc.ahead), Behind: float64(tc.behind), Total: float64(tc.ahead),
				Commits: tc.commits, Base: tc.base, MergeBase: tc.mergeBase}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("compare %s (-want +got):\n%s", tc.basehead, d)
			}
		})
	}
	status, out := call(t, opCompare, "", func(w http.ResponseWriter, r *http.Request) {
		f.g.compareCommits(w, r, "octo", "demo", "main..."+f.u1)
	})
	if status != 404 || !strings.HasPrefix(out["message"].(string), "No common ancestor between main and ") {
		t.Errorf("unrelated histories: %d %v", status, out)
	}
}

// The trap of the issue: a release published for a missing tag takes the tag
// from the default branch as it is at publish time.
func TestTagForRelease(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	built := f.c3
	next := CommitSHA("c4")
	f.g.SeedCommit(gitRepoName, next, f.c3)
	f.g.SetBranchHead(gitRepoName, "main", next) // main moved on after the build

	cases := []struct {
		name, tag, target string
		want              string
		created           bool
	}{
		{"no target: the default branch head now", "t-default", "", next, true},
		{"branch target: its head now", "t-branch", "main", next, true},
		{"commit target: that commit", "t-sha", built, built, true},
		{"abbreviated commit target", "t-short", built[:10], built, true},
		{"existing tag ignores the target", "v1", built, f.c1, false},
		{"existing annotated tag gives its commit", "v2", "", f.c2, false},
	}
	for _, tc := range cases {
		got, created, err := f.g.TagForRelease(gitRepoName, tc.tag, tc.target)
		if err != nil || got != tc.want || created != tc.created {
			t.Errorf("%s: got %s created=%v err=%v; want %s created=%v", tc.name, got, created, err, tc.want, tc.created)
		}
		if at, ok := f.g.TagCommit(gitRepoName, tc.tag); !ok || at != tc.want {
			t.Errorf("%s: tag %s is at %q", tc.name, tc.tag, at)
		}
	}
	if obj, _ := f.g.Ref(gitRepoName, "tags/t-sha"); obj.Type != "commit" {
		t.Errorf("a release's tag is lightweight; got %v", obj)
	}

	_, _, err := f.g.TagForRelease(gitRepoName, "t-bad", "no-such-branch")
	if !errors.Is(err, ErrUnknownTarget) {
		t.Errorf("unknown target: err = %v", err)
	}
	if _, ok := f.g.TagCommit(gitRepoName, "t-bad"); ok {
		t.Error("an unknown target created the tag")
	}
	if _, _, err := f.g.TagForRelease("nobody/none", "v1", ""); err == nil {
		t.Error("unknown repository accepted")
	}
}

func TestGitSeedingPanicsOnBadInput(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	cases := map[string]func(){
		"short sha":        func() { f.g.SeedCommit(gitRepoName, "abc") },
		"upper-case sha":   func() { f.g.SeedCommit(gitRepoName, strings.ToUpper(CommitSHA("x"))) },
		"duplicate":        func() { f.g.SeedCommit(gitRepoName, f.c1, f.root) },
		"unknown parent":   func() { f.g.SeedCommit(gitRepoName, CommitSHA("y"), CommitSHA("ghost")) },
		"unknown repo":     func() { f.g.SeedTag("a/b", "v1", f.c1) },
		"tag on no commit": func() { f.g.SeedTag(gitRepoName, "v1", CommitSHA("ghost")) },
		"missing default":  func() { f.g.SetDefaultBranch(gitRepoName, "trunk") },
	}
	for name, fn := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			fn()
		}()
	}
}

func TestGitRefURLsFollowTheLayout(t *testing.T) {
	t.Parallel()
	g := NewGit(GHES, nil)
	g.AddRepo(gitRepoName)
	g.SeedTag(gitRepoName, "v1", InitialCommit(gitRepoName))
	req := httptest.NewRequest(http.MethodGet, "http://ghes.example:8080/api/v3/repos/octo/demo/git/ref/tags/v1", nil)
	rec := httptest.NewRecorder()
	g.getRef(rec, req, "octo", "demo", "tags/v1")
	var out GitRef
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	want := "http://ghes.example:8080/api/v3/repos/octo/demo/git/refs/tags/v1"
	if out.URL != want || !strings.HasPrefix(out.Object.URL, "http://ghes.example:8080/api/v3/repos/octo/demo/git/commits/") {
		t.Errorf("url %s object url %s; want %s", out.URL, out.Object.URL, want)
	}
}
