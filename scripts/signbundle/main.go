// Command signbundle signs build provenance for a file the way an attested run
// does, against whatever the environment points at (the emulator's exports):
// the job's OIDC token from ACTIONS_ID_TOKEN_REQUEST_URL, then Fulcio and the
// timestamp authority of a Sigstore signing config, with sigstore-go's own
// clients. It writes FILE.sigstore.json beside the file (or to --out). It is a
// helper for scripts/verifier-test, which hands the bundle to other verifiers.
//
//	go run ./scripts/signbundle --sigstore signing_config.json README.md
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
)

func main() {
	config := flag.String("sigstore", "", "Sigstore signing config (the emulator prints its path)")
	out := flag.String("out", "", "where to write the bundle (default FILE.sigstore.json)")
	flag.Parse()
	if *config == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: signbundle --sigstore SIGNING_CONFIG [--out BUNDLE] FILE")
		os.Exit(2)
	}
	file := flag.Arg(0)
	if *out == "" {
		*out = file + ".sigstore.json"
	}
	if err := run(*config, file, *out); err != nil {
		fmt.Fprintln(os.Stderr, "signbundle:", err)
		os.Exit(1)
	}
}

func run(configPath, file, out string) error {
	content, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	server, repo := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY")
	run := "https://github.com/" + repo + "/actions/runs/" + os.Getenv("GITHUB_RUN_ID") + "/attempts/" + os.Getenv("GITHUB_RUN_ATTEMPT")
	statement, err := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": filepath.Base(file), "digest": map[string]string{"sha256": hex.EncodeToString(sum[:])}}},
		"predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{
			"buildDefinition": map[string]any{
				"buildType": "https://actions.github.io/buildtypes/workflow/v1",
				"externalParameters": map[string]any{"workflow": map[string]any{
					"ref": os.Getenv("GITHUB_REF"), "repository": "https://github.com/" + repo, "path": ".github/workflows/release.yml",
				}},
			},
			"runDetails": map[string]any{
				"builder":  map[string]any{"id": "https://github.com/" + os.Getenv("GITHUB_WORKFLOW_REF")},
				"metadata": map[string]any{"invocationId": run},
			},
		},
	})
	if err != nil {
		return err
	}
	if server == "" || repo == "" {
		return errors.New("GITHUB_SERVER_URL and GITHUB_REPOSITORY are unset: source the emulator's exports first")
	}
	token, err := idToken()
	if err != nil {
		return err
	}
	sc, err := root.NewSigningConfigFromPath(configPath)
	if err != nil {
		return err
	}
	ca, err := root.SelectService(sc.FulcioCertificateAuthorityURLs(), sign.FulcioAPIVersions, time.Now())
	if err != nil {
		return err
	}
	opts := sign.BundleOptions{
		CertificateProvider:        sign.NewFulcio(&sign.FulcioOptions{BaseURL: ca.URL}),
		CertificateProviderOptions: &sign.CertificateProviderOptions{IDToken: token},
		Context:                    context.Background(),
	}
	tsas, err := root.SelectServices(sc.TimestampAuthorityURLs(), sc.TimestampAuthorityURLsConfig(), sign.TimestampAuthorityAPIVersions, time.Now())
	if err != nil {
		return err
	}
	for _, t := range tsas {
		opts.TimestampAuthorities = append(opts.TimestampAuthorities, sign.NewTimestampAuthority(&sign.TimestampAuthorityOptions{URL: t.URL}))
	}
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		return err
	}
	pb, err := sign.Bundle(&sign.DSSEData{Data: statement, PayloadType: "application/vnd.in-toto+json"}, kp, opts)
	if err != nil {
		return err
	}
	raw, err := (&bundle.Bundle{Bundle: pb}).MarshalJSON()
	if err != nil {
		return err
	}
	return os.WriteFile(out, raw, 0o644)
}

// idToken asks the runner's token service for a token with audience sigstore.
func idToken() (string, error) {
	u, tok := os.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), os.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	if u == "" || tok == "" {
		return "", errors.New("ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are unset: source the emulator's exports first")
	}
	req, err := http.NewRequest(http.MethodGet, u+"&audience=sigstore", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token service: %s: %s", res.Status, body)
	}
	var v struct{ Value string }
	if err := json.Unmarshal(body, &v); err != nil || v.Value == "" {
		return "", fmt.Errorf("token service answered no token: %s", body)
	}
	return v.Value, nil
}
