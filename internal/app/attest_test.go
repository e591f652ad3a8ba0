package app_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/attest"
	"github.com/releasekit/release-action/internal/emulator"
)

// with returns base with more set on top.
func with(base map[string]string, more map[string]string) map[string]string {
	out := maps.Clone(base)
	maps.Copy(out, more)
	return out
}

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// bundles reads the release's assets: name → content, for uploaded ones.
func contents(h *actiontest.Harness, id int64) map[string]string {
	out := map[string]string{}
	for name, v := range h.AssetContents(id) {
		if state, content, _ := strings.Cut(v, ":"); state == "uploaded" {
			out[name] = content
		}
	}
	return out
}

// workflowIdentity is the certificate identity the emulated job must have:
// its workflow, exactly, as the runner names it in GITHUB_WORKFLOW_REF.
func workflowIdentity(env map[string]string) attest.Identity {
	return attest.Identity{
		SANRegexp: "^" + regexp.QuoteMeta("https://github.com/"+env["GITHUB_WORKFLOW_REF"]) + "$",
		Issuer:    "https://token.actions.githubusercontent.com",
	}
}

// TestAttestedBundlesVerify: a run with attest: true leaves beside every
// asset, the checksum list included, a bundle that sigstore-go's verifier
// accepts against the emulator's trusted root, for the file's sha256 and the
// workflow the runner names; another file, a changed statement or a changed
// signature fails.
func TestAttestedBundlesVerify(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	files := map[string]string{"app-linux.tar.gz": "linux build", "app-mac.zip": "mac build"}
	for name, c := range files {
		h.Write("dist/"+name, c)
	}
	in := h.Attesting()
	r := h.Run(with(in, map[string]string{"tag": "v1.0.0", "files": "dist/*", "checksums": "SHA256SUMS"}))
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	rel := h.Only("v1.0.0")
	if rel.Draft {
		t.Fatal("the release was not published")
	}
	got := contents(h, rel.ID)
	files["SHA256SUMS"] = got["SHA256SUMS"]
	trusted := h.Emu.TrustedRoot()
	id := workflowIdentity(in)
	for name, content := range files {
		bundle, ok := got[name+attest.BundleSuffix]
		if !ok {
			t.Fatalf("no %s%s beside %s; assets: %v", name, attest.BundleSuffix, name, slices.Sorted(maps.Keys(got)))
		}
		subjects, err := attest.VerifyBundle(trusted, []byte(bundle), id, "sha256", sha256hex(content))
		if err != nil {
			t.Fatalf("%s: the bundle does not verify: %v", name, err)
		}
		if !hasSubject(subjects, name, sha256hex(content)) {
			t.Errorf("%s: the statement's subjects %v do not name it with its digest", name, subjects)
		}
		if _, err := attest.VerifyBundle(trusted, []byte(bundle), id, "sha256", sha256hex(content+"x")); err == nil {
			t.Errorf("%s: the bundle verifies for other bytes", name)
		}
		for what, changed := range tamper(t, bundle) {
			if _, err := attest.VerifyBundle(trusted, []byte(changed), id, "sha256", sha256hex(content)); err == nil {
				t.Errorf("%s: a bundle with %s still verifies", name, what)
			}
		}
		other := attest.Identity{SANRegexp: "^https://github.com/octo/other/", Issuer: id.Issuer}
		if _, err := attest.VerifyBundle(trusted, []byte(bundle), other, "sha256", sha256hex(content)); err == nil {
			t.Errorf("%s: the bundle verifies as another repository's", name)
		}
		if n := len(h.Emu.Attestations(actiontest.Repo, "sha256:"+sha256hex(content))); n != 1 {
			t.Errorf("%s: GitHub's attestations API holds %d attestations of it, want 1", name, n)
		}
	}
	for _, a := range r.Assets(t) {
		if strings.HasSuffix(a.Name, attest.BundleSuffix) {
			continue
		}
		if a.Attestation == nil || a.Attestation.ID == 0 || !strings.HasSuffix(a.Attestation.URL, "/octo/demo/attestations/"+itoa(a.Attestation.ID)) || a.Attestation.Bundle != a.Name+attest.BundleSuffix {
			t.Errorf("assets output for %s: attestation %+v", a.Name, a.Attestation)
		}
	}
	if !strings.Contains(r.Summary, "### Build provenance") || !strings.Contains(r.Summary, "app-mac.zip: [attestation") {
		t.Errorf("the summary has no line per attested asset:\n%s", r.Summary)
	}
}

// tamper returns the bundle with one change each: a byte of the statement, a
// byte of the signature.
func tamper(t *testing.T, bundle string) map[string]string {
	t.Helper()
	if !json.Valid([]byte(bundle)) {
		t.Fatalf("the bundle is not JSON: %q", bundle)
	}
	out := map[string]string{}
	flip := func(field func(m map[string]any) (map[string]any, string)) string {
		var c map[string]any
		json.Unmarshal([]byte(bundle), &c)
		m, key := field(c)
		raw, _ := base64.StdEncoding.DecodeString(m[key].(string))
		raw[len(raw)/2] ^= 1
		m[key] = base64.StdEncoding.EncodeToString(raw)
		s, _ := json.Marshal(c)
		return string(s)
	}
	out["a changed statement"] = flip(func(c map[string]any) (map[string]any, string) {
		return c["dsseEnvelope"].(map[string]any), "payload"
	})
	out["a changed signature"] = flip(func(c map[string]any) (map[string]any, string) {
		return c["dsseEnvelope"].(map[string]any)["signatures"].([]any)[0].(map[string]any), "sig"
	})
	return out
}

func hasSubject(subjects []attest.Subject, name, sum string) bool {
	for _, s := range subjects {
		if s.Name == name && s.SHA256 == sum {
			return true
		}
	}
	return false
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestAttestServiceFailuresChangeNothing: whichever service fails for good,
// the run fails saying which, and no release is published without its
// attestations; when the signing or the storing fails, nothing is created.
func TestAttestServiceFailuresChangeNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		fault   emulator.Fault
		says    string
		created bool // the draft existed (then was removed)
	}{
		{"token service", emulator.Fault{Route: emulator.RouteIDToken, Kind: emulator.FaultStatus, Status: 500, Times: 100}, "OIDC token", false},
		{"Fulcio", emulator.Fault{Route: emulator.RouteSigningCert, Kind: emulator.FaultStatus, Status: 503, Times: 100}, "Fulcio", false},
		{"timestamp authority", emulator.Fault{Route: emulator.RouteTimestamp, Kind: emulator.FaultStatus, Status: 502, Times: 100}, "timestamp authority", false},
		{"attestations API", emulator.Fault{Route: emulator.RouteCreateAttestation, Kind: emulator.FaultStatus, Status: 502, Times: 100}, "store the attestation", false},
		// max_parallel 1 uploads a.bin, then its bundle: every upload after the first fails.
		{"bundle upload", emulator.Fault{Route: emulator.RouteUploadAsset, Kind: emulator.FaultStatus, Status: 502, Skip: 1, Times: 100}, "a.bin.sigstore.json", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			h.Write("dist/a.bin", "aaa")
			h.Emu.Inject(c.fault)
			r := h.Run(with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*", "max_parallel": "1"}))
			if r.Code != 1 {
				t.Fatalf("exit %d, want 1\n%s", r.Code, r.Stdout)
			}
			if !strings.Contains(r.Stdout, c.says) {
				t.Errorf("the failure does not name %q:\n%s", c.says, r.Stdout)
			}
			for _, rel := range h.ReleasesFor("v1.0.0") {
				if !rel.Draft {
					t.Fatalf("a release was published although its attestation failed: %+v", rel)
				}
			}
			if n := h.Count(emulator.RouteCreateRelease); (n > 0) != c.created {
				t.Errorf("%d creates; a failure before the first change must create nothing", n)
			}
			if len(h.ReleasesFor("v1.0.0")) != 0 {
				t.Errorf("the failed run left %d releases", len(h.ReleasesFor("v1.0.0")))
			}
		})
	}
}

// TestAttestNeedsPermissions: a job without id-token: write is refused
// before any request, and one without attestations: write before any change,
// both with the permissions block to add.
func TestAttestNeedsPermissions(t *testing.T) {
	t.Parallel()
	t.Run("id-token", func(t *testing.T) {
		t.Parallel()
		h := actiontest.New(t, actiontest.Config{})
		h.Write("dist/a.bin", "aaa")
		in := with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*", "ACTIONS_ID_TOKEN_REQUEST_URL": "", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": ""})
		r := h.Run(in)
		if r.Code != 2 || !strings.Contains(r.Stdout, "id-token: write") || !strings.Contains(r.Stdout, "permissions:") {
			t.Fatalf("exit %d, want 2 with the permissions block\n%s", r.Code, r.Stdout)
		}
		if n := len(h.Emu.Requests()); n != 0 {
			t.Errorf("%d requests before the refusal", n)
		}
	})
	t.Run("attestations", func(t *testing.T) {
		t.Parallel()
		const weak = "ghs_no_attestations_write_0123456789"
		h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{NoAttestationsToken: weak}})
		h.Write("dist/a.bin", "aaa")
		r := h.Run(with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*", "token": weak}))
		if r.Code == 0 || !strings.Contains(r.Stdout, "attestations: write") {
			t.Fatalf("exit %d, want a failure showing attestations: write\n%s", r.Code, r.Stdout)
		}
		if n := h.Count(emulator.RouteCreateRelease) + h.Count(emulator.RouteUploadAsset); n != 0 {
			t.Errorf("%d creates and uploads before the refusal", n)
		}
	})
}

// TestAttestRerunKeepsWhatStillHolds: the same step again signs nothing and
// keeps every bundle; a changed file gets a new attestation and its bundle is
// replaced, the other's kept.
func TestAttestRerunKeepsWhatStillHolds(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("dist/a.bin", "aaa")
	h.Write("dist/b.bin", "bbb")
	in := with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*"})
	for i := range 2 {
		if r := h.Run(in); r.Code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, r.Code, r.Stdout)
		}
	}
	if n := h.Count(emulator.RouteCreateAttestation); n != 1 {
		t.Fatalf("%d attestations after a re-run of the same files, want 1", n)
	}
	before := contents(h, h.Only("v1.0.0").ID)
	h.Write("dist/b.bin", "BBB")
	r := h.Run(in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Count(emulator.RouteCreateAttestation); n != 2 {
		t.Fatalf("%d attestations after one file changed, want 2", n)
	}
	after := contents(h, h.Only("v1.0.0").ID)
	if after["a.bin.sigstore.json"] != before["a.bin.sigstore.json"] {
		t.Error("the kept asset's bundle changed")
	}
	if after["b.bin.sigstore.json"] == before["b.bin.sigstore.json"] {
		t.Error("the replaced asset's bundle was not replaced")
	}
	id := workflowIdentity(in)
	if _, err := attest.VerifyBundle(h.Emu.TrustedRoot(), []byte(after["b.bin.sigstore.json"]), id, "sha256", sha256hex("BBB")); err != nil {
		t.Errorf("the new bundle does not verify for the new bytes: %v", err)
	}
	actions := map[string]string{}
	for _, a := range r.Assets(t) {
		actions[a.Name] = string(a.Action)
		if a.Name == "a.bin" && (a.Attestation == nil || !a.Attestation.Kept) {
			t.Errorf("a.bin's attestation in the output: %+v, want kept", a.Attestation)
		}
	}
	if actions["b.bin"] != "replaced" || actions["b.bin.sigstore.json"] != "replaced" || actions["a.bin.sigstore.json"] != "kept" {
		t.Errorf("actions: %v", actions)
	}
}

// TestAttestedFileChangedBeforeUploadFails: the file changes (same size)
// after it was signed and before it is uploaded; the upload sends other bytes
// than were attested, so the run fails and publishes nothing.
func TestAttestedFileChangedBeforeUploadFails(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	path := h.Write("dist/a.bin", "aaa")
	hook := func(r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/attestations") {
			writeFile(t, path, "AAA")
		}
	}
	h.Hook.Store(&hook)
	r := h.Run(with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*"}))
	if r.Code != 1 || !strings.Contains(r.Stdout, "changed after it was planned") {
		t.Fatalf("exit %d, want 1 naming the change\n%s", r.Code, r.Stdout)
	}
	for _, rel := range h.ReleasesFor("v1.0.0") {
		if !rel.Draft {
			t.Fatal("published with a file other than the one attested")
		}
	}
}

// TestAttestRefusesWhatTheTrustedRootDoesNot: with trusted_root naming
// another Sigstore (another emulator's keys), the bundle the services made
// does not verify, and the run stops before storing it or changing anything.
func TestAttestRefusesWhatTheTrustedRootDoesNot(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	other := actiontest.New(t, actiontest.Config{})
	h.Write("dist/a.bin", "aaa")
	r := h.Run(with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*", "trusted_root": other.TrustedRootFile()}))
	if r.Code != 1 || !strings.Contains(r.Stdout, "does not verify against the trusted root") {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Count(emulator.RouteCreateAttestation) + h.Count(emulator.RouteCreateRelease); n != 0 {
		t.Errorf("%d attestations and creates after the refusal", n)
	}
	// With the right root the same run passes: the check is not a refusal of everything.
	r = h.Run(with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*", "trusted_root": h.TrustedRootFile()}))
	if r.Code != 0 {
		t.Fatalf("with the emulator's own root: exit %d\n%s", r.Code, r.Stdout)
	}
}

// TestVerifyChecksTheReleaseAttestation: in a repository with immutable
// releases, verify: true waits for GitHub to mark the release immutable (the
// emulator does it a moment after the publish, as GitHub does) and checks
// that its release attestation covers the assets; with another trusted root,
// or without the attestation, the run fails.
func TestVerifyChecksTheReleaseAttestation(t *testing.T) {
	t.Parallel()
	cfg := actiontest.Config{Immutable: true, Emulator: emulator.Options{ImmutableAfter: 300 * time.Millisecond}}
	t.Run("covers", func(t *testing.T) {
		t.Parallel()
		h := actiontest.New(t, cfg)
		threeFiles(h)
		r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "verify": "true", "trusted_root": h.TrustedRootFile()})
		if r.Code != 0 || !strings.Contains(r.Summary, "Release attestation") {
			t.Fatalf("exit %d\n%s\nsummary:\n%s", r.Code, r.Stdout, r.Summary)
		}
	})
	t.Run("another root", func(t *testing.T) {
		t.Parallel()
		h := actiontest.New(t, cfg)
		other := actiontest.New(t, actiontest.Config{})
		threeFiles(h)
		r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "verify": "true", "trusted_root": other.TrustedRootFile()})
		if r.Code != 1 || !strings.Contains(r.Stdout, "does not verify") {
			t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
		}
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		h := actiontest.New(t, cfg)
		threeFiles(h)
		h.Emu.Inject(emulator.Fault{Route: emulator.RouteListAttestations, Kind: emulator.FaultStatus, Status: 200, Body: `{"attestations":[]}`, Times: 10})
		r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "verify": "true"})
		if r.Code != 1 || !strings.Contains(r.Stdout, "no release attestation") {
			t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
		}
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Error(err)
	}
}

// TestAttestAnotherRunsBundleOfTheSameFile: two runs attesting the same file
// at once sign it twice, and their bundles differ. The run whose bundle upload
// finds the other's under the name keeps it, since it attests the same file
// from this repository, instead of failing with a conflict.
func TestAttestAnotherRunsBundleOfTheSameFile(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("dist/a.bin", "aaa")
	in := with(h.Attesting(), map[string]string{"tag": "v1.0.0", "files": "dist/*"})
	inst, err := attest.InstanceFromFile(in["sigstore"])
	if err != nil {
		t.Fatal(err)
	}
	other := &attest.Signer{Instance: inst, Tokens: attest.TokenSource{URL: in["ACTIONS_ID_TOKEN_REQUEST_URL"], Bearer: in["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]},
		Repository: actiontest.Repo, ServerURL: "https://github.com"}
	var theirs []byte
	var done atomic.Bool
	hook := func(r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Query().Get("name") != "a.bin.sigstore.json" || done.Swap(true) {
			return
		}
		// Another run got there first, with its own signature of the same bytes.
		att, err := other.Sign(r.Context(), []attest.Subject{{Name: "a.bin", SHA256: sha256hex("aaa")}})
		if err != nil {
			t.Error(err)
			return
		}
		theirs = att.Bundle
		h.Emu.SeedAsset(actiontest.Repo, h.ReleasesFor("v1.0.0")[0].ID, "a.bin.sigstore.json", "", "", att.Bundle)
	}
	h.Hook.Store(&hook)
	r := h.Run(in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if got := contents(h, h.Only("v1.0.0").ID)["a.bin.sigstore.json"]; !done.Load() || got != string(theirs) {
		t.Fatalf("the other run's bundle is not the one kept (hook ran: %v)", done.Load())
	}
}
