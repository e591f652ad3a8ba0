package lies_test

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/hostile"
)

// The two lies of issue 18, as reproduced against the action before the
// client checked identities, run end to end.

func lyingHarness(t *testing.T) (*actiontest.Harness, *hostile.Proxy, decoys) {
	t.Helper()
	var proxy *hostile.Proxy
	h := actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		proxy = hostile.NewProxy(next)
		return proxy
	}})
	t.Cleanup(proxy.Close)
	d := seedDecoys(h)
	h.Write("dist/a.txt", "alpha")
	h.Write("dist/b.txt", "beta")
	touch(t, h)
	return h, proxy, d
}

// wantRefused checks a run that must fail, before any change, with an error
// that names the field that lied, and leave the decoys as they were.
func wantRefused(t *testing.T, h *actiontest.Harness, d decoys, before string, res actiontest.Result, field string) {
	t.Helper()
	if res.Code == 0 {
		t.Fatalf("exit 0 under a lie\n%s", res.Stdout)
	}
	msg := errorLine(res.Stdout)
	if !strings.Contains(msg, field) || !strings.Contains(msg, "was asked") {
		t.Fatalf("the error %q does not name the %s that lied\n%s", msg, field, res.Stdout)
	}
	if after := d.snapshot(); after != before {
		t.Fatalf("the run changed what it did not identify:\n%s", diff(before, after))
	}
	for _, rel := range h.ReleasesFor(tag) {
		if !rel.Draft {
			t.Fatalf("release %d for %s was published under a lie", rel.ID, tag)
		}
	}
}

// TestGetByTagAnsweredWithAnotherRelease: the release answered for v1 is the
// published v0. Before: the action renamed v0, deleted its assets, uploaded
// into it and exited 0, and no release for v1 was made.
func TestGetByTagAnsweredWithAnotherRelease(t *testing.T) {
	t.Parallel()
	h, proxy, d := lyingHarness(t)
	before := d.snapshot()
	proxy.SetRules(hostile.Rule{Route: hostile.ByTag, Mutations: []hostile.Mutation{hostile.AskInstead{Old: "/tags/" + tag, New: "/tags/" + decoyTag}}})
	in := map[string]string{"tag": tag, "files": "dist/*", "name": "Release 1", "overwrite": "true", "delete_other_assets": "true"}
	res := h.Run(in)
	wantRefused(t, h, d, before, res, "tag_name")
	if w := h.Writes(); w != 0 {
		t.Fatalf("%d writes before the lie was caught", w)
	}
}

// TestDraftUploadURLInAnotherRepository: the new draft's upload_url names, on
// the same host, a release of another repository. Before: the files went
// there, the requested release was published empty, and the run exited 0.
// Now the create's answer is not acted on: like a lost answer, the release is
// looked for in a listing (checked in turn), and the files go to it.
func TestDraftUploadURLInAnotherRepository(t *testing.T) {
	t.Parallel()
	h, proxy, d := lyingHarness(t)
	before := d.snapshot()
	lie := hostile.ForeignRepo{Field: "upload_url", Repo: foreign, ID: d.targets.ForeignID}
	proxy.SetRules(hostile.Rule{Route: hostile.Create, Mutations: []hostile.Mutation{lie}})
	res := h.Run(map[string]string{"tag": tag, "files": "dist/*"})
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s", res.Code, res.Stdout)
	}
	if after := d.snapshot(); after != before {
		t.Fatalf("the run changed what it did not identify:\n%s", diff(before, after))
	}
	rel := h.Only(tag)
	want := map[string]string{"a.txt": "uploaded:alpha", "b.txt": "uploaded:beta"}
	if got := h.AssetContents(rel.ID); rel.Draft || !maps.Equal(got, want) {
		t.Fatalf("release draft %v with %v, want published with %v", rel.Draft, got, want)
	}
}

// TestUploadURLInAnotherRepositoryEverywhere: when every answer about the
// draft names the other repository's upload endpoint, the run fails saying so,
// and not a byte reaches the other repository.
func TestUploadURLInAnotherRepositoryEverywhere(t *testing.T) {
	t.Parallel()
	h, proxy, d := lyingHarness(t)
	before := d.snapshot()
	lie := []hostile.Mutation{hostile.ForeignRepo{Field: "upload_url", Repo: foreign, ID: d.targets.ForeignID}}
	proxy.SetRules(
		hostile.Rule{Route: hostile.Create, Mutations: lie},
		hostile.Rule{Route: hostile.GetRelease, Mutations: lie},
		hostile.Rule{Route: hostile.ListReleases, Mutations: lie},
	)
	res := h.Run(map[string]string{"tag": tag, "files": "dist/*"})
	wantRefused(t, h, d, before, res, "upload_url")
}
