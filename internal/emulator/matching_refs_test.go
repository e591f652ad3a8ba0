package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGitMatchingRefs: every reference whose name starts with the prefix,
// sorted, tags and branches alike, through the router (the prefix keeps its
// slashes); none is an empty array, an unknown repository 404.
func TestGitMatchingRefs(t *testing.T) {
	t.Parallel()
	s := New(Options{Token: "T"})
	s.AddRepo(gitRepoName, false)
	g := s.Git()
	root := InitialCommit(gitRepoName)
	for _, tag := range []string{"api/v1.0.0", "api/v1.1.0", "api-v2.0.0", "web/v3.1.0", "v1.0.0"} {
		g.SeedTag(gitRepoName, tag, root)
	}
	g.SeedAnnotatedTag(gitRepoName, "api/v1.2.0", root, "Release api 1.2.0\n")
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, tc := range []struct {
		path   string
		status int
		refs   []string
	}{
		{"/repos/octo/demo/git/matching-refs/tags/api/", 200, []string{"refs/tags/api/v1.0.0", "refs/tags/api/v1.1.0", "refs/tags/api/v1.2.0"}},
		{"/repos/octo/demo/git/matching-refs/tags/api", 200, []string{"refs/tags/api-v2.0.0", "refs/tags/api/v1.0.0", "refs/tags/api/v1.1.0", "refs/tags/api/v1.2.0"}},
		{"/repos/octo/demo/git/matching-refs/tags/v", 200, []string{"refs/tags/v1.0.0"}},
		{"/repos/octo/demo/git/matching-refs/tags/mobile", 200, []string{}},
		{"/repos/octo/demo/git/matching-refs/heads/ma?per_page=100", 200, []string{"refs/heads/main"}},
		{"/repos/octo/nowhere/git/matching-refs/tags/api", 404, nil},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer T")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out []struct {
			Ref    string `json:"ref"`
			Object struct {
				Type string `json:"type"`
			} `json:"object"`
		}
		if tc.status == 200 {
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.status)
			continue
		}
		got := []string{}
		for _, r := range out {
			got = append(got, r.Ref)
			if want := map[bool]string{true: "tag", false: "commit"}[r.Ref == "refs/tags/api/v1.2.0"]; r.Object.Type != want {
				t.Errorf("%s: %s points at a %s, want a %s", tc.path, r.Ref, r.Object.Type, want)
			}
		}
		if tc.status == 200 {
			if diff := cmp.Diff(tc.refs, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		}
	}
}
