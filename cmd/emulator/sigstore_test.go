package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// printedPath is the path the instructions print after label.
func (r *running) printedPath(t *testing.T, label string) string {
	t.Helper()
	r.waitStderr(t, "emulator: Ctrl-C stops it")
	m := regexp.MustCompile(`(?m)^emulator:   ` + label + ` +(\S+)$`).FindStringSubmatch(r.stderr.String())
	if m == nil {
		t.Fatalf("no %s path on stderr:\n%s", label, r.stderr)
	}
	return m[1]
}

// What the emulator prints is all a Sigstore client needs: the exported
// token service, the signing config file and the trusted root file. A bundle
// signed with sigstore-go through them verifies against the printed root as
// the exported workflow's, and the temporary files go when the emulator stops.
func TestPrintedSigstoreSetupSignsAndVerifies(t *testing.T) {
	t.Parallel()
	r := start(t, "--addr", "127.0.0.1:0", "--repo", "acme/widget", "--tag", "v3.1.0")
	trustedPath, configPath := r.printedPath(t, "trusted root"), r.printedPath(t, "signing config")
	if filepath.Dir(trustedPath) != filepath.Dir(configPath) {
		t.Errorf("default files in two directories: %s, %s", trustedPath, configPath)
	}
	if !strings.Contains(r.stderr.String(), "--attest --sigstore "+configPath) {
		t.Errorf("no attested example with the signing config:\n%s", r.stderr)
	}
	for _, k := range []string{"ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "GITHUB_WORKFLOW_REF", "GITHUB_SHA"} {
		if r.vars[k] == "" {
			t.Fatalf("%s not exported:\n%s", k, r.exports)
		}
	}
	if want := "acme/widget/.github/workflows/release.yml@refs/tags/v3.1.0"; r.vars["GITHUB_WORKFLOW_REF"] != want || r.vars["GITHUB_REF"] != "refs/tags/v3.1.0" {
		t.Errorf("workflow ref %s, ref %s; want %s", r.vars["GITHUB_WORKFLOW_REF"], r.vars["GITHUB_REF"], want)
	}

	// The job's token, as the action fetches it.
	req, _ := http.NewRequest("GET", r.vars["ACTIONS_ID_TOKEN_REQUEST_URL"]+"&audience=sigstore", nil)
	req.Header.Set("Authorization", "Bearer "+r.vars["ACTIONS_ID_TOKEN_REQUEST_TOKEN"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Value string }
	err = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("token: %d %v", res.StatusCode, err)
	}

	sc, err := root.NewSigningConfigFromPath(configPath)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := root.SelectService(sc.FulcioCertificateAuthorityURLs(), sign.FulcioAPIVersions, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tsa, err := root.SelectService(sc.TimestampAuthorityURLs(), sign.TimestampAuthorityAPIVersions, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(readme)
	stmt, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "README.md", "digest": map[string]string{"sha256": hex.EncodeToString(sum[:])}}},
		"predicateType": "https://slsa.dev/provenance/v1",
		"predicate":     map[string]any{},
	})
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := sign.Bundle(&sign.DSSEData{Data: stmt, PayloadType: "application/vnd.in-toto+json"}, kp, sign.BundleOptions{
		CertificateProvider:        sign.NewFulcio(&sign.FulcioOptions{BaseURL: ca.URL}),
		CertificateProviderOptions: &sign.CertificateProviderOptions{IDToken: tok.Value},
		TimestampAuthorities:       []*sign.TimestampAuthority{sign.NewTimestampAuthority(&sign.TimestampAuthorityOptions{URL: tsa.URL})},
		Context:                    context.Background(),
	})
	if err != nil {
		t.Fatal(err)
	}

	trusted, err := root.NewTrustedRootFromPath(trustedPath)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.NewVerifier(trusted, verify.WithSignedTimestamps(1))
	if err != nil {
		t.Fatal(err)
	}
	san, _ := verify.NewSANMatcher("https://github.com/"+r.vars["GITHUB_WORKFLOW_REF"], "")
	iss, _ := verify.NewIssuerMatcher("https://token.actions.githubusercontent.com", "")
	id, _ := verify.NewCertificateIdentity(san, iss, certificate.Extensions{
		SourceRepositoryURI: "https://github.com/acme/widget", SourceRepositoryDigest: r.vars["GITHUB_SHA"],
		RunInvocationURI: "https://github.com/acme/widget/actions/runs/" + r.vars["GITHUB_RUN_ID"] + "/attempts/" + r.vars["GITHUB_RUN_ATTEMPT"],
	})
	if _, err := v.Verify(&bundle.Bundle{Bundle: pb}, verify.NewPolicy(verify.WithArtifactDigest("sha256", sum[:]), verify.WithCertificateIdentity(id))); err != nil {
		t.Fatalf("verify with the printed trusted root: %v", err)
	}

	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-r.exited
	if _, err := os.Stat(filepath.Dir(trustedPath)); !os.IsNotExist(err) {
		t.Errorf("the temporary directory %s outlives the emulator: %v", filepath.Dir(trustedPath), err)
	}
}

// --trusted-root and --signing-config put the files where they say, and they stay.
func TestSigstoreFilesWhereTheFlagsSay(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tr, sc := filepath.Join(dir, "root.json"), filepath.Join(dir, "config.json")
	r := start(t, "--addr", "127.0.0.1:0", "--trusted-root", tr, "--signing-config", sc)
	if got := r.printedPath(t, "trusted root"); got != tr {
		t.Errorf("printed trusted root %s, want %s", got, tr)
	}
	if got := r.printedPath(t, "signing config"); got != sc {
		t.Errorf("printed signing config %s, want %s", got, sc)
	}
	raw, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(raw), "\n") != 1 || !strings.HasSuffix(string(raw), "\n") {
		t.Errorf("trusted root is not one line: %q", raw)
	}
	if _, err := root.NewTrustedRootFromJSON(raw); err != nil {
		t.Errorf("trusted root: %v", err)
	}
	cfg, err := root.NewSigningConfigFromPath(sc)
	if err != nil {
		t.Fatal(err)
	}
	if urls := cfg.FulcioCertificateAuthorityURLs(); len(urls) != 1 || urls[0].URL != r.vars["GITHUB_SERVER_URL"]+"/_sigstore/fulcio" {
		t.Errorf("Fulcio URLs %+v", urls)
	}
	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-r.exited
	for _, p := range []string{tr, sc} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s gone after the stop: %v", p, err)
		}
	}
}
