package emulator_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"google.golang.org/protobuf/proto"

	"github.com/releasekit/release-action/internal/emulator"
)

// sigEnv is an emulator whose repository has the workflow's tag.
func sigEnv(t *testing.T, opts emulator.Options) *env {
	t.Helper()
	e := newEnv(t, opts)
	e.emu.AddTag(repo, "v1.0.0")
	return e
}

// idToken fetches the job's OIDC token the way the action does: the exported
// URL, &audience=, the exported request token.
func (e *env) idToken(audience string) string {
	e.t.Helper()
	vars := e.emu.Workflow().Env(e.srv.URL)
	r := e.do("GET", vars["ACTIONS_ID_TOKEN_REQUEST_URL"]+"&audience="+audience, nil,
		"Authorization", "Bearer "+vars["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]).want(e.t, http.StatusOK)
	return decode[struct {
		Value string `json:"value"`
	}](e.t, r).Value
}

// services are the Fulcio and timestamp authority URLs the signing config
// names, picked by sigstore-go as a client does.
func (e *env) services() (fulcioURL, tsaURL string) {
	e.t.Helper()
	sc, err := root.NewSigningConfigFromJSON(e.emu.SigningConfigJSON(e.srv.URL))
	if err != nil {
		e.t.Fatal(err)
	}
	ca, err := root.SelectService(sc.FulcioCertificateAuthorityURLs(), sign.FulcioAPIVersions, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	tsa, err := root.SelectService(sc.TimestampAuthorityURLs(), sign.TimestampAuthorityAPIVersions, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return ca.URL, tsa.URL
}

// statement is an in-toto statement about an artifact named name.
func statement(name string, content []byte) []byte {
	sum := sha256.Sum256(content)
	b, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": name, "digest": map[string]string{"sha256": hex.EncodeToString(sum[:])}}},
		"predicateType": emulator.PredicateProvenance,
		"predicate":     map[string]any{"buildDefinition": map[string]any{"buildType": "https://actions.github.io/buildtypes/workflow/v1"}},
	})
	return b
}

// signWith signs a statement with sigstore-go's own clients against the
// emulator's Fulcio and timestamp authority, with the OIDC token idTok.
func (e *env) signWith(stmt []byte, idTok string) (*protobundle.Bundle, error) {
	fulcioURL, tsaURL := e.services()
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return sign.Bundle(&sign.DSSEData{Data: stmt, PayloadType: "application/vnd.in-toto+json"}, kp, sign.BundleOptions{
		CertificateProvider:        sign.NewFulcio(&sign.FulcioOptions{BaseURL: fulcioURL, Timeout: 10 * time.Second}),
		CertificateProviderOptions: &sign.CertificateProviderOptions{IDToken: idTok},
		TimestampAuthorities:       []*sign.TimestampAuthority{sign.NewTimestampAuthority(&sign.TimestampAuthorityOptions{URL: tsaURL, Timeout: 10 * time.Second})},
		Context:                    context.Background(),
	})
}

// workflowIdentity is the identity a downloader checks: the workflow of the
// repository, GitHub's issuer, the source repository.
func workflowIdentity(t *testing.T, repository string) verify.PolicyOption {
	t.Helper()
	san, err := verify.NewSANMatcher("", "^"+regexp.QuoteMeta(emulator.IdentityServer+"/"+repository+"/"))
	if err != nil {
		t.Fatal(err)
	}
	iss, err := verify.NewIssuerMatcher(emulator.OIDCIssuer, "")
	if err != nil {
		t.Fatal(err)
	}
	id, err := verify.NewCertificateIdentity(san, iss, certificate.Extensions{SourceRepositoryURI: emulator.IdentityServer + "/" + repository})
	if err != nil {
		t.Fatal(err)
	}
	return verify.WithCertificateIdentity(id)
}

func verifyBundle(t *testing.T, trusted root.TrustedMaterial, pb *protobundle.Bundle, alg string, digest []byte, id verify.PolicyOption) (*verify.VerificationResult, error) {
	t.Helper()
	v, err := verify.NewVerifier(trusted, verify.WithSignedTimestamps(1))
	if err != nil {
		t.Fatal(err)
	}
	return v.Verify(&bundle.Bundle{Bundle: pb}, verify.NewPolicy(verify.WithArtifactDigest(alg, digest), id))
}

func sum256(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func TestSigstoreBundleVerifiesWithTheTrustedRoot(t *testing.T) {
	e := sigEnv(t, emulator.Options{Token: token})
	artifact := []byte("the bytes uploaded")
	pb, err := e.signWith(statement("demo.tgz", artifact), e.idToken("sigstore"))
	if err != nil {
		t.Fatal(err)
	}
	// The trusted root as a verifier reads it: from the one-line JSON.
	trusted, err := root.NewTrustedRootFromJSON(e.emu.TrustedRootJSON())
	if err != nil {
		t.Fatal(err)
	}
	res, err := verifyBundle(t, trusted, pb, "sha256", sum256(artifact), workflowIdentity(t, repo))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	// The certificate carries the workflow's identity, as Fulcio writes it.
	w := e.emu.Workflow()
	got := res.Signature.Certificate
	gh := emulator.IdentityServer + "/"
	want := certificate.Extensions{
		Issuer:                              emulator.OIDCIssuer,
		GithubWorkflowTrigger:               "push",
		GithubWorkflowSHA:                   w.SHA,
		GithubWorkflowName:                  "Release",
		GithubWorkflowRepository:            repo,
		GithubWorkflowRef:                   "refs/tags/v1.0.0",
		BuildSignerURI:                      gh + repo + "/.github/workflows/release.yml@refs/tags/v1.0.0",
		BuildSignerDigest:                   w.SHA,
		RunnerEnvironment:                   "github-hosted",
		SourceRepositoryURI:                 gh + repo,
		SourceRepositoryDigest:              w.SHA,
		SourceRepositoryRef:                 "refs/tags/v1.0.0",
		SourceRepositoryIdentifier:          e.emu.Workflow().Env("")["GITHUB_REPOSITORY_ID"],
		SourceRepositoryOwnerURI:            gh + "octo",
		SourceRepositoryOwnerIdentifier:     e.emu.Workflow().Env("")["GITHUB_REPOSITORY_OWNER_ID"],
		BuildConfigURI:                      gh + repo + "/.github/workflows/release.yml@refs/tags/v1.0.0",
		BuildConfigDigest:                   w.SHA,
		BuildTrigger:                        "push",
		RunInvocationURI:                    gh + repo + "/actions/runs/1/attempts/1",
		SourceRepositoryVisibilityAtSigning: "public",
	}
	if got.Extensions != want {
		t.Errorf("extensions:\n got %+v\nwant %+v", got.Extensions, want)
	}
	if got.SubjectAlternativeName != want.BuildSignerURI {
		t.Errorf("SAN %q, want %q", got.SubjectAlternativeName, want.BuildSignerURI)
	}
	if tag, _ := e.emu.Git().TagCommit(repo, "v1.0.0"); w.SHA != tag || len(tag) != 40 {
		t.Errorf("workflow sha %q, want the tag's commit %q", w.SHA, tag)
	}
	if len(res.VerifiedTimestamps) != 1 || res.VerifiedTimestamps[0].Type != "TimestampAuthority" {
		t.Errorf("timestamps %+v, want one from the timestamp authority", res.VerifiedTimestamps)
	}
	// The leaf is Fulcio's: 10 minutes, code signing, issued by GitHub's organisation.
	leaf := leafOf(t, pb)
	if d := leaf.NotAfter.Sub(leaf.NotBefore); d != 10*time.Minute {
		t.Errorf("leaf validity %s, want 10m", d)
	}
	if len(leaf.ExtKeyUsage) != 1 || leaf.ExtKeyUsage[0] != x509.ExtKeyUsageCodeSigning {
		t.Errorf("leaf EKU %v, want code signing only", leaf.ExtKeyUsage)
	}
	if org := leaf.Issuer.Organization; len(org) != 1 || org[0] != emulator.SigstoreOrganization {
		t.Errorf("issuer organization %v, want [%s]", org, emulator.SigstoreOrganization)
	}
}

func leafOf(t *testing.T, pb *protobundle.Bundle) *x509.Certificate {
	t.Helper()
	vc, err := (&bundle.Bundle{Bundle: pb}).VerificationContent()
	if err != nil {
		t.Fatal(err)
	}
	c := vc.Certificate()
	if c == nil {
		t.Fatal("the bundle has no certificate")
	}
	return c
}

// Every way a bundle or its inputs can be wrong fails, each for its own reason.
func TestSigstoreRefusesWhatIsWrong(t *testing.T) {
	e := sigEnv(t, emulator.Options{Token: token})
	other := sigEnv(t, emulator.Options{Token: token}) // same names, other keys
	artifact := []byte("the bytes uploaded")
	stmt := statement("demo.tgz", artifact)
	pb, err := e.signWith(stmt, e.idToken("sigstore"))
	if err != nil {
		t.Fatal(err)
	}
	good := func() *protobundle.Bundle { return proto.Clone(pb).(*protobundle.Bundle) }
	id := workflowIdentity(t, repo)
	if _, err := verifyBundle(t, e.emu.TrustedRoot(), good(), "sha256", sum256(artifact), id); err != nil {
		t.Fatalf("the untouched bundle must verify: %v", err)
	}

	t.Run("tampered statement", func(t *testing.T) {
		// Each byte of the payload, changed, breaks the signature.
		for i := 0; i < len(stmt); i += 1 + len(stmt)/40 {
			b := good()
			b.GetDsseEnvelope().Payload[i] ^= 0x01
			if _, err := verifyBundle(t, e.emu.TrustedRoot(), b, "sha256", sum256(artifact), id); err == nil {
				t.Fatalf("payload byte %d changed, yet the bundle verifies", i)
			}
		}
	})
	t.Run("tampered signature", func(t *testing.T) {
		b := good()
		b.GetDsseEnvelope().Signatures[0].Sig[10] ^= 0x01
		if _, err := verifyBundle(t, e.emu.TrustedRoot(), b, "sha256", sum256(artifact), id); err == nil {
			t.Fatal("a changed signature verifies")
		}
	})
	t.Run("other artifact", func(t *testing.T) {
		if _, err := verifyBundle(t, e.emu.TrustedRoot(), good(), "sha256", sum256([]byte("the bytes uploaded!")), id); err == nil {
			t.Fatal("the bundle verifies for bytes it does not name")
		}
	})
	t.Run("other repository", func(t *testing.T) {
		if _, err := verifyBundle(t, e.emu.TrustedRoot(), good(), "sha256", sum256(artifact), workflowIdentity(t, "octo/other")); err == nil {
			t.Fatal("the bundle verifies as another repository's")
		}
	})
	t.Run("other emulator's keys", func(t *testing.T) {
		if _, err := verifyBundle(t, other.emu.TrustedRoot(), good(), "sha256", sum256(artifact), id); err == nil {
			t.Fatal("a bundle verifies with another emulator's trusted root")
		}
		theirs, err := other.signWith(stmt, other.idToken("sigstore"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := verifyBundle(t, e.emu.TrustedRoot(), theirs, "sha256", sum256(artifact), id); err == nil {
			t.Fatal("another emulator's bundle verifies with this trusted root")
		}
	})
	// Fulcio refuses tokens it must not trust: sigstore-go's client reports 401.
	for name, tok := range map[string]string{
		"expired token":          mustToken(t, e.emu, "sigstore", time.Now().Add(-6*time.Minute)),
		"token from another key": other.idToken("sigstore"),
		"other audience":         e.idToken("api://AzureADTokenExchange"),
		"forged signature":       forge(e.idToken("sigstore"), other.idToken("sigstore")),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.signWith(stmt, tok)
			if err == nil || !strings.Contains(err.Error(), "401") {
				t.Fatalf("sign with %s: %v, want Fulcio's 401", name, err)
			}
		})
	}
	t.Run("wrong proof of possession", func(t *testing.T) {
		fulcioURL, _ := e.services()
		tok := e.idToken("sigstore")
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
		keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
		sub := "repo:" + repo + ":ref:refs/tags/v1.0.0"
		for name, c := range map[string]struct {
			signer  *ecdsa.PrivateKey
			subject string
			want    int
		}{
			"right key, right subject": {key, sub, http.StatusOK},
			"another key":              {otherKey, sub, http.StatusBadRequest},
			"another subject":          {key, sub + "x", http.StatusBadRequest},
		} {
			h := sha256.Sum256([]byte(c.subject))
			sig, err := ecdsa.SignASN1(rand.Reader, c.signer, h[:])
			if err != nil {
				t.Fatal(err)
			}
			body := map[string]any{"publicKeyRequest": map[string]any{
				"publicKey":         map[string]string{"algorithm": "ECDSA", "content": keyPEM},
				"proofOfPossession": base64.StdEncoding.EncodeToString(sig),
			}}
			r := e.do("POST", fulcioURL+"/api/v2/signingCert", body, "Authorization", "Bearer "+tok)
			if r.status != c.want {
				t.Errorf("%s: status %d, want %d; %s", name, r.status, c.want, r.body)
			}
		}
	})
	t.Run("token service credentials", func(t *testing.T) {
		u := e.emu.Workflow().Env(e.srv.URL)["ACTIONS_ID_TOKEN_REQUEST_URL"] + "&audience=sigstore"
		for _, auth := range []string{"", "Bearer wrong", "Bearer " + token, "token " + emulator.DefaultRequestToken} {
			if r := e.do("GET", u, nil, "Authorization", auth); r.status != http.StatusUnauthorized {
				t.Errorf("Authorization %q: status %d, want 401", auth, r.status)
			}
		}
	})
}

// forge puts the signature of one token on the claims of another.
func forge(claims, signed string) string {
	c, s := strings.Split(claims, "."), strings.Split(signed, ".")
	return c[0] + "." + c[1] + "." + s[2]
}

func mustToken(t *testing.T, s *emulator.Server, aud string, iat time.Time) string {
	t.Helper()
	tok, err := s.IDToken(aud, iat)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// The token carries GitHub's claims for the configured workflow.
func TestOIDCTokenClaims(t *testing.T) {
	e := sigEnv(t, emulator.Options{Token: token, Workflow: emulator.Workflow{
		Path: ".github/workflows/ship.yml", Ref: "refs/heads/main", RunID: 77, RunAttempt: 3,
		EventName: "workflow_dispatch", Visibility: "private",
	}})
	tok := e.idToken("sigstore")
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWS", tok)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	head, _ := e.emu.Git().BranchHead(repo, "main")
	want := map[string]any{
		"iss": emulator.OIDCIssuer, "aud": "sigstore", "sub": "repo:octo/demo:ref:refs/heads/main",
		"repository": repo, "repository_owner": "octo", "repository_visibility": "private",
		"ref": "refs/heads/main", "ref_type": "branch", "sha": head,
		"workflow_ref":     "octo/demo/.github/workflows/ship.yml@refs/heads/main",
		"job_workflow_ref": "octo/demo/.github/workflows/ship.yml@refs/heads/main",
		"workflow_sha":     head, "job_workflow_sha": head,
		"event_name": "workflow_dispatch", "run_id": "77", "run_attempt": "3", "run_number": "1",
		"runner_environment": "github-hosted",
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s = %v, want %v", k, c[k], v)
		}
	}
	for _, k := range []string{"repository_id", "repository_owner_id"} {
		if s, _ := c[k].(string); s == "" || strings.Trim(s, "0123456789") != "" {
			t.Errorf("claim %s = %v, want a decimal ID", k, c[k])
		}
	}
	if exp, iat := c["exp"].(float64), c["iat"].(float64); exp-iat != 300 {
		t.Errorf("token lives %vs, want 300", exp-iat)
	}
	env := e.emu.Workflow().Env(e.srv.URL)
	if env["GITHUB_REPOSITORY_ID"] != c["repository_id"] || env["GITHUB_SHA"] != head || env["GITHUB_RUN_ID"] != "77" ||
		env["GITHUB_WORKFLOW_REF"] != c["workflow_ref"] || env["RUNNER_ENVIRONMENT"] != "github-hosted" {
		t.Errorf("Env() disagrees with the token: %v", env)
	}
}

func TestTrustedRootAndSigningConfig(t *testing.T) {
	e := sigEnv(t, emulator.Options{Token: token})
	tr := e.emu.TrustedRootJSON()
	if bytes.ContainsAny(tr, "\n\r") {
		t.Fatalf("trusted root spans lines: %s", tr)
	}
	var doc struct {
		MediaType              string            `json:"mediaType"`
		Tlogs                  []json.RawMessage `json:"tlogs"`
		Ctlogs                 []json.RawMessage `json:"ctlogs"`
		CertificateAuthorities []struct {
			ValidFor struct {
				Start string `json:"start"`
			} `json:"validFor"`
			CertChain struct {
				Certificates []json.RawMessage `json:"certificates"`
			} `json:"certChain"`
		} `json:"certificateAuthorities"`
		TimestampAuthorities []struct {
			CertChain struct {
				Certificates []json.RawMessage `json:"certificates"`
			} `json:"certChain"`
		} `json:"timestampAuthorities"`
	}
	if err := json.Unmarshal(tr, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.MediaType != root.TrustedRootMediaType01 || len(doc.Tlogs) != 0 || len(doc.Ctlogs) != 0 ||
		len(doc.CertificateAuthorities) != 1 || len(doc.CertificateAuthorities[0].CertChain.Certificates) != 2 ||
		doc.CertificateAuthorities[0].ValidFor.Start == "" ||
		len(doc.TimestampAuthorities) != 1 || len(doc.TimestampAuthorities[0].CertChain.Certificates) != 3 {
		t.Fatalf("trusted root shape: %s", tr)
	}
	if !bytes.Equal(tr, e.emu.TrustedRootJSON()) {
		t.Error("the trusted root changed within one server's life")
	}
	if other := sigEnv(t, emulator.Options{}); bytes.Equal(tr, other.emu.TrustedRootJSON()) {
		t.Error("two servers share a trusted root: keys must be fresh")
	}
	sc := e.emu.SigningConfigJSON(e.srv.URL + "/")
	if bytes.ContainsAny(sc, "\n\r") {
		t.Fatalf("signing config spans lines: %s", sc)
	}
	cfg, err := root.NewSigningConfigFromJSON(sc)
	if err != nil {
		t.Fatal(err)
	}
	fulcioURL, tsaURL := e.services()
	if fulcioURL != e.srv.URL+"/_sigstore/fulcio" || tsaURL != e.srv.URL+"/_sigstore/tsa/api/v1/timestamp" ||
		len(cfg.OIDCProviderURLs()) != 0 || len(cfg.RekorLogURLs()) != 0 {
		t.Fatalf("signing config %s", sc)
	}
	if !bytes.Contains(sc, []byte(`"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json"`)) {
		t.Errorf("media type missing: %s", sc)
	}
}

// TestOIDCTokenIDsAreWhole: every token's jti is 16 random bytes in hex,
// however small the random number behind it (a small one once panicked the
// token service: a slice of its bytes past their end, one time in 128).
func TestOIDCTokenIDsAreWhole(t *testing.T) {
	t.Parallel()
	s := emulator.New(emulator.Options{Token: token})
	seen := map[string]bool{}
	for range 1000 {
		tok := mustToken(t, s, "sigstore", time.Now())
		payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			JTI string `json:"jti"`
		}
		if err := json.Unmarshal(payload, &c); err != nil {
			t.Fatal(err)
		}
		if b, err := hex.DecodeString(c.JTI); err != nil || len(b) != 16 || seen[c.JTI] {
			t.Fatalf("jti %q: not 16 new bytes in hex (%v)", c.JTI, err)
		}
		seen[c.JTI] = true
	}
}
