package attest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func jwt(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

func fullClaims() map[string]any {
	return map[string]any{
		"iss": "https://token.actions.githubusercontent.com", "repository": "octo/demo", "repository_id": "1",
		"repository_owner_id": "2", "workflow_ref": "octo/demo/.github/workflows/release.yml@refs/tags/v1.0.0",
		"job_workflow_ref": "octo/demo/.github/workflows/release.yml@refs/tags/v1.0.0", "ref": "refs/tags/v1.0.0",
		"sha": "0123456789abcdef0123456789abcdef01234567", "event_name": "push", "runner_environment": "github-hosted",
		"run_id": "42", "run_attempt": "1",
	}
}

func TestClaimsNeedEveryProvenanceField(t *testing.T) {
	t.Parallel()
	c, err := parseClaims(jwt(t, fullClaims()))
	if err != nil {
		t.Fatal(err)
	}
	if c.Repository != "octo/demo" || c.RunAttempt != "1" {
		t.Fatalf("claims = %+v", c)
	}
	for name := range fullClaims() {
		cl := fullClaims()
		delete(cl, name)
		_, err := parseClaims(jwt(t, cl))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("without %s: err = %v, want one naming it", name, err)
		}
	}
	for _, bad := range []string{"", "a.b", "a.!!!.c", "a." + base64.RawURLEncoding.EncodeToString([]byte("[1]")) + ".c"} {
		if _, err := parseClaims(bad); err == nil {
			t.Errorf("parseClaims(%q) = nil error", bad)
		}
	}
}

func TestStatementIsSLSAProvenanceOfTheSubjects(t *testing.T) {
	t.Parallel()
	c, _ := parseClaims(jwt(t, fullClaims()))
	sum := strings.Repeat("ab", 32)
	raw, err := statement([]Subject{{"b.zip", sum}, {"a.tar.gz", sum}}, provenance("https://github.com", c))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Type          string `json:"_type"`
		PredicateType string `json:"predicateType"`
		Subject       []struct {
			Name   string            `json:"name"`
			Digest map[string]string `json:"digest"`
		} `json:"subject"`
		Predicate struct {
			BuildDefinition struct {
				BuildType          string `json:"buildType"`
				ExternalParameters struct {
					Workflow map[string]string `json:"workflow"`
				} `json:"externalParameters"`
			} `json:"buildDefinition"`
			RunDetails struct {
				Builder  map[string]string `json:"builder"`
				Metadata map[string]string `json:"metadata"`
			} `json:"runDetails"`
		} `json:"predicate"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	got := []string{st.Type, st.PredicateType, st.Subject[0].Name, st.Subject[0].Digest["sha256"], st.Subject[1].Name,
		st.Predicate.BuildDefinition.BuildType, st.Predicate.BuildDefinition.ExternalParameters.Workflow["path"],
		st.Predicate.RunDetails.Builder["id"], st.Predicate.RunDetails.Metadata["invocationId"]}
	want := []string{"https://in-toto.io/Statement/v1", PredicateSLSA, "a.tar.gz", sum, "b.zip",
		"https://actions.github.io/buildtypes/workflow/v1", ".github/workflows/release.yml",
		"https://github.com/octo/demo/.github/workflows/release.yml@refs/tags/v1.0.0",
		"https://github.com/octo/demo/actions/runs/42/attempts/1"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("statement (-want +got):\n%s", d)
	}
	if _, err := statement([]Subject{{"a", "not-hex"}}, provenance("https://github.com", c)); err == nil {
		t.Error("a subject without a sha256 digest was signed")
	}
	if _, err := statement(nil, provenance("https://github.com", c)); err == nil {
		t.Error("a statement without subjects was made")
	}
}

func TestInstanceFromFileRefusesWhatIsNotASigningConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := `{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json",
	  "caUrls":[{"url":"http://127.0.0.1:1/fulcio","majorApiVersion":1,"validFor":{"start":"2020-01-01T00:00:00Z"}}],
	  "tsaUrls":[{"url":"http://127.0.0.1:1/tsa","majorApiVersion":1,"validFor":{"start":"2020-01-01T00:00:00Z"}}],
	  "rekorTlogConfig":{"selector":"ANY"},"tsaConfig":{"selector":"ANY"}}`
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if inst, err := InstanceFromFile(write("good.json", good)); err != nil || len(inst.Config.TimestampAuthorityURLs()) != 1 {
		t.Fatalf("good config: %v", err)
	}
	noCA := strings.Replace(good, `"caUrls"`, `"oidcUrls"`, 1)
	noWitness := strings.Replace(good, `"tsaUrls"`, `"oidcUrls"`, 1)
	big := strings.Repeat(" ", maxConfigBytes+1)
	for name, content := range map[string]string{"no-ca": noCA, "no-witness": noWitness, "not-json": "{", "big": big, "trusted-root": `{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}`} {
		if _, err := InstanceFromFile(write(name, content)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := InstanceFromFile(dir); err == nil {
		t.Error("a directory was accepted")
	}
	if _, err := InstanceFromFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file was accepted")
	}
}

func TestGitHubInstanceFollowsTheServer(t *testing.T) {
	t.Parallel()
	for server, want := range map[string]string{
		"https://github.com": "https://fulcio.githubapp.com", "https://acme.ghe.com": "https://fulcio.acme.ghe.com",
	} {
		inst, err := GitHubInstance(server)
		if err != nil {
			t.Fatal(err)
		}
		if got := inst.Config.FulcioCertificateAuthorityURLs()[0].URL; got != want {
			t.Errorf("%s: Fulcio %s, want %s", server, got, want)
		}
		if n := len(inst.Config.TimestampAuthorityURLs()); n != 1 {
			t.Errorf("%s: %d timestamp authorities, want 1", server, n)
		}
	}
	if _, err := GitHubInstance("https://ghes.example.com"); err == nil {
		t.Error("GitHub Enterprise Server has no Sigstore instance, yet one was made")
	}
	if pg := PublicGood(); len(pg.Config.RekorLogURLs()) != 1 || len(pg.Config.TimestampAuthorityURLs()) != 0 {
		t.Error("public-good is Fulcio with the Rekor log")
	}
}

// TestTransportBoundsEveryAnswer: a service that redirects, talks too much or
// stalls fails the request, within the bound.
func TestTransportBoundsEveryAnswer(t *testing.T) {
	t.Parallel()
	stall := make(chan struct{})
	t.Cleanup(func() { close(stall) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusTemporaryRedirect)
		case "/long":
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/exact":
			w.Write([]byte(strings.Repeat("x", 1024)))
		case "/stall":
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			select {
			case <-stall:
			case <-r.Context().Done():
			}
		}
	}))
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: newTransport(context.Background(), nil, Bounds{Total: 300 * time.Millisecond, MaxAnswer: 1024})}
	read := func(path string) error {
		resp, err := hc.Get(srv.URL + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	if err := read("/redirect"); !errors.Is(err, ErrRedirect) {
		t.Errorf("redirect: %v, want ErrRedirect", err)
	}
	if err := read("/long"); err == nil || !strings.Contains(err.Error(), "longer than 1024") {
		t.Errorf("long answer: %v", err)
	}
	if err := read("/exact"); err != nil {
		t.Errorf("an answer of exactly the cap: %v", err)
	}
	start := time.Now()
	if err := read("/stall"); err == nil {
		t.Error("a stalled answer was read to the end")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a stalled answer took %v, the bound is 300ms", d)
	}
}
