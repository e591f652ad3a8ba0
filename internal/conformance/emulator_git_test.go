package conformance

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/releasekit/release-action/internal/emulator"
)

var (
	gitSpecOnce sync.Once
	gitSpec     *openapi3.T
	gitSpecErr  error
)

// checkGitAnswer fails the test when the status is not one GitHub's
// description lists for the operation, or the JSON body does not match that
// answer's schema.
func checkGitAnswer(t *testing.T, method, path string, status int, body []byte) {
	t.Helper()
	gitSpecOnce.Do(func() {
		gitSpec, gitSpecErr = LoadPaths(DotCom,
			"/repos/{owner}/{repo}/git/ref", "/repos/{owner}/{repo}/git/refs",
			"/repos/{owner}/{repo}/git/tags", "/repos/{owner}/{repo}/compare",
			"/repos/{owner}/{repo}/git/matching-refs")
	})
	if gitSpecErr != nil {
		t.Fatalf("load GitHub's description (%s): %v", InstallHint, gitSpecErr)
	}
	item := gitSpec.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("the description has no %s %s", method, path)
	}
	resp := item.GetOperation(method).Responses.Status(status)
	if resp == nil || resp.Value == nil {
		t.Fatalf("%s %s answered %d, which the description does not list", method, path, status)
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		t.Fatalf("%s %s %d has no JSON schema in the description", method, path, status)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s %s %d: the answer is not JSON: %v", method, path, status, err)
	}
	if err := media.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s %s %d does not match the description: %v\n%s", method, path, status, err, body)
	}
}

// TestEmulatorGitAnswersConform sends the emulator every kind of git request
// its own tests make (internal/emulator/git_test.go), successes and refusals,
// and checks each answer against the schema GitHub's description gives for
// that operation and status. It lives here because it needs the npm package
// with the description; the emulator's tests need nothing but Go.
func TestEmulatorGitAnswersConform(t *testing.T) {
	t.Parallel()
	c1, c2, c3 := emulator.CommitSHA("c1"), emulator.CommitSHA("c2"), emulator.CommitSHA("c3")
	f1, u1 := emulator.CommitSHA("f1"), emulator.CommitSHA("u1")
	const (
		getRef    = "/repos/{owner}/{repo}/git/ref/{ref}"
		createRef = "/repos/{owner}/{repo}/git/refs"
		updateRef = "/repos/{owner}/{repo}/git/refs/{ref}"
		getTag    = "/repos/{owner}/{repo}/git/tags/{tag_sha}"
		compare   = "/repos/{owner}/{repo}/compare/{basehead}"
		matching  = "/repos/{owner}/{repo}/git/matching-refs/{ref}"
	)
	var v2 string // the annotated tag's object, known once seeded
	cases := []struct {
		method, op, path, body string
		status                 int
	}{
		{"GET", getRef, "/repos/octo/demo/git/ref/tags/v1", "", 200},
		{"GET", getRef, "/repos/octo/demo/git/ref/tags/v2", "", 200},
		{"GET", getRef, "/repos/octo/demo/git/ref/tags/pkg/v1.2.3", "", 200},
		{"GET", getRef, "/repos/OCTO/demo/git/ref/heads/feature", "", 200},
		{"GET", getRef, "/repos/octo/demo/git/ref/tags/v9", "", 404},
		{"GET", getRef, "/repos/octo/demo/git/ref/tags/pkg", "", 404},
		{"POST", createRef, "/repos/octo/demo/git/refs", `{"ref":"refs/tags/v3","sha":"` + c3 + `"}`, 201},
		{"POST", createRef, "/repos/octo/demo/git/refs", `{"ref":"refs/tags/v1","sha":"` + c3 + `"}`, 422},
		{"POST", createRef, "/repos/octo/demo/git/refs", `{"ref":"refs/tags/v4","sha":"` + emulator.CommitSHA("nope") + `"}`, 422},
		{"POST", createRef, "/repos/octo/demo/git/refs", `{"ref":"tags/v5","sha":"` + c3 + `"}`, 422},
		{"POST", createRef, "/repos/octo/demo/git/refs", `{"ref":"refs/tags/v7"}`, 422},
		{"POST", createRef, "/repos/octo/demo/git/refs", `{"ref":"refs/tags/v8","sha":1}`, 422},
		{"PATCH", updateRef, "/repos/octo/demo/git/refs/tags/v1", `{"sha":"` + c3 + `"}`, 200},
		{"PATCH", updateRef, "/repos/octo/demo/git/refs/tags/pkg/v1.2.3", `{"sha":"` + c1 + `"}`, 422},
		{"PATCH", updateRef, "/repos/octo/demo/git/refs/tags/pkg/v1.2.3", `{"sha":"` + f1 + `","force":true}`, 200},
		{"PATCH", updateRef, "/repos/octo/demo/git/refs/tags/v9", `{"sha":"` + c3 + `"}`, 422},
		{"PATCH", updateRef, "/repos/octo/demo/git/refs/tags/v1", `{"sha":"` + c3 + `","force":"yes"}`, 422},
		{"PATCH", updateRef, "/repos/octo/demo/git/refs/tags/locked", `{"sha":"` + c3 + `","force":true}`, 422},
		{"GET", getTag, "/repos/octo/demo/git/tags/V2OBJECT", "", 200},
		{"GET", getTag, "/repos/octo/demo/git/tags/" + c1, "", 404},
		{"GET", compare, "/repos/octo/demo/compare/v1..." + c3, "", 200},
		{"GET", compare, "/repos/octo/demo/compare/pkg/v1.2.3..." + c1, "", 200},
		{"GET", compare, "/repos/octo/demo/compare/main...feature", "", 200},
		{"GET", compare, "/repos/octo/demo/compare/main...nope", "", 404},
		{"GET", compare, "/repos/octo/demo/compare/main..." + u1, "", 404},
		{"GET", matching, "/repos/octo/demo/git/matching-refs/tags/pkg", "", 200},
		{"GET", matching, "/repos/octo/demo/git/matching-refs/tags/v", "", 200},
		{"GET", matching, "/repos/octo/demo/git/matching-refs/tags/none", "", 200},
	}
	for _, tc := range cases {
		// A fresh emulator for each request: the writes change the refs.
		emu := emulator.New(emulator.Options{Token: testToken})
		emu.AddRepo(testRepo, false)
		g := emu.Git()
		root := emulator.InitialCommit(testRepo)
		g.SeedCommit(testRepo, c1, root)
		g.SeedCommit(testRepo, c2, c1)
		g.SeedCommit(testRepo, c3, c2)
		g.SeedCommit(testRepo, f1, c1)
		g.SeedCommit(testRepo, u1)
		g.SetBranchHead(testRepo, "main", c3)
		g.SetBranchHead(testRepo, "feature", f1)
		g.SeedTag(testRepo, "v1", c1)
		v2 = g.SeedAnnotatedTag(testRepo, "v2", c2, "Release 2\n")
		g.SeedTag(testRepo, "pkg/v1.2.3", c3)
		g.SeedTag(testRepo, "locked", c1)
		g.SetTagLocked(testRepo, "locked", true)
		srv := httptest.NewServer(emu)
		path := strings.Replace(tc.path, "V2OBJECT", v2, 1)
		req, err := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d: %s", tc.method, path, res.StatusCode, tc.status, body)
			continue
		}
		checkGitAnswer(t, tc.method, tc.op, res.StatusCode, body)
	}
}
