package emulator_test

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/releasekit/release-action/internal/emulator"
)

// attestationList is the answer of GET /repos/{o}/{r}/attestations/{digest}.
type attestationList struct {
	Attestations []struct {
		Bundle       json.RawMessage `json:"bundle"`
		RepositoryID int64           `json:"repository_id"`
		BundleURL    string          `json:"bundle_url"`
		Initiator    string          `json:"initiator"`
	} `json:"attestations"`
}

func (e *env) listAttestations(digest, query string) attestationList {
	e.t.Helper()
	return decode[attestationList](e.t, e.do("GET", e.api("/repos/"+repo+"/attestations/"+digest+query), nil).want(e.t, http.StatusOK))
}

func bundleJSON(t *testing.T, pb *protobundle.Bundle) json.RawMessage {
	t.Helper()
	raw, err := protojson.Marshal(pb)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestAttestationsAPI(t *testing.T) {
	const noAttest = "NA"
	e := sigEnv(t, emulator.Options{Token: token, NoAttestationsToken: noAttest, ReadOnlyToken: "RO"})
	artifact := []byte("the bytes uploaded")
	pb, err := e.signWith(statement("demo.tgz", artifact), e.idToken("sigstore"))
	if err != nil {
		t.Fatal(err)
	}
	post := func(body any, auth string) resp {
		return e.do("POST", e.api("/repos/"+repo+"/attestations"), body, "Authorization", "Bearer "+auth)
	}
	digest := "sha256:" + hex.EncodeToString(sum256(artifact))

	// Without attestations: write, nothing is stored.
	r := post(map[string]any{"bundle": bundleJSON(t, pb)}, noAttest).want(t, http.StatusForbidden)
	if got := r.header.Get("X-Accepted-GitHub-Permissions"); got != "attestations=write" {
		t.Errorf("X-Accepted-GitHub-Permissions %q", got)
	}
	if msg := decode[ghError](t, r).Message; msg != "Resource not accessible by integration" {
		t.Errorf("message %q", msg)
	}
	post(map[string]any{"bundle": bundleJSON(t, pb)}, "RO").want(t, http.StatusForbidden)
	if n := len(e.listAttestations(digest, "").Attestations); n != 0 {
		t.Fatalf("%d attestations after refused posts", n)
	}
	// The same token may do everything else.
	e.do("POST", e.api("/repos/"+repo+"/releases"), map[string]any{"tag_name": "v1.0.0", "draft": true},
		"Authorization", "Bearer "+noAttest).want(t, http.StatusCreated)

	// Not a DSSE in-toto statement: 422.
	plain := &protobundle.Bundle{MediaType: pb.MediaType, VerificationMaterial: pb.VerificationMaterial}
	for name, body := range map[string]any{
		"no bundle":       map[string]any{},
		"not a bundle":    map[string]any{"bundle": map[string]any{"mediaType": "x"}},
		"no envelope":     map[string]any{"bundle": bundleJSON(t, plain)},
		"not in-toto":     map[string]any{"bundle": bundleJSON(t, withPayload(t, pb, "text/plain", []byte("hello")))},
		"no subject":      map[string]any{"bundle": bundleJSON(t, withPayload(t, pb, "application/vnd.in-toto+json", []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"x","predicate":{}}`)))},
		"invalid in-toto": map[string]any{"bundle": bundleJSON(t, withPayload(t, pb, "application/vnd.in-toto+json", []byte(`{"hello":1}`)))},
	} {
		if r := post(body, token); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422; %s", name, r.status, r.body)
		}
	}
	if r := post("{", token); r.status != http.StatusBadRequest {
		t.Errorf("broken JSON: status %d, want 400", r.status)
	}
	if r := e.do("POST", e.api("/repos/octo/nope/attestations"), map[string]any{"bundle": bundleJSON(t, pb)}); r.status != http.StatusNotFound {
		t.Errorf("unknown repository: status %d, want 404", r.status)
	}

	// Stored, then found by its subject digest, with gh's and the API's filters.
	id1 := decode[struct{ ID int64 }](t, post(map[string]any{"bundle": bundleJSON(t, pb)}, token).want(t, http.StatusCreated)).ID
	id2 := decode[struct{ ID int64 }](t, post(map[string]any{"bundle": bundleJSON(t, pb)}, token).want(t, http.StatusCreated)).ID
	if id1 <= 0 || id2 == id1 {
		t.Fatalf("ids %d, %d", id1, id2)
	}
	for query, want := range map[string]int{
		"": 2, "?predicate_type=provenance": 2, "?predicate_type=" + emulator.PredicateProvenance: 2,
		"?predicate_type=release": 0, "?per_page=1": 1, "?per_page=1&predicate_type=provenance": 1,
	} {
		if got := len(e.listAttestations(digest, query).Attestations); got != want {
			t.Errorf("list%s: %d attestations, want %d", query, got, want)
		}
	}
	if got := len(e.listAttestations(strings.ToUpper(digest[:6])+digest[6:], "").Attestations); got != 2 {
		t.Errorf("the algorithm's case matters: %d", got)
	}
	if got := len(e.listAttestations("sha256:"+strings.Repeat("0", 64), "").Attestations); got != 0 {
		t.Errorf("another digest lists %d", got)
	}
	if r := e.do("GET", e.api("/repos/"+repo+"/attestations/sha256:xyz"), nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("malformed digest: status %d", r.status)
	}
	got := e.listAttestations(digest, "").Attestations[0]
	if got.Initiator != "user" || got.RepositoryID != e.emu.Workflow().RepositoryID || got.BundleURL == "" {
		t.Errorf("entry %+v", got)
	}
	// The listed bundle is the posted one, and it verifies.
	var b bundle.Bundle
	if err := b.UnmarshalJSON(got.Bundle); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyBundle(t, e.emu.TrustedRoot(), b.Bundle, "sha256", sum256(artifact), workflowIdentity(t, repo)); err != nil {
		t.Errorf("the listed bundle does not verify: %v", err)
	}
	// bundle_url serves the same bundle without credentials.
	r = e.do("GET", got.BundleURL, nil, "Authorization", "").want(t, http.StatusOK)
	if string(r.body) != string(got.Bundle) {
		t.Errorf("bundle_url serves %s", r.body)
	}
}

// withPayload is pb with its envelope's content replaced (the signature no longer matches).
func withPayload(t *testing.T, pb *protobundle.Bundle, payloadType string, payload []byte) *protobundle.Bundle {
	t.Helper()
	var c protobundle.Bundle
	if err := protojson.Unmarshal(bundleJSON(t, pb), &c); err != nil {
		t.Fatal(err)
	}
	c.GetDsseEnvelope().PayloadType = payloadType
	c.GetDsseEnvelope().Payload = payload
	return &c
}

// An immutable release gets GitHub's release attestation a little after the
// publish: its subjects are the tag's commit and exactly the assets' digests,
// and it verifies with the trusted root as gh release verify checks it.
func TestReleaseAttestation(t *testing.T) {
	const after = 90 * time.Second
	clk := &manualClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	e := newEnv(t, emulator.Options{Token: token, ImmutableAfter: after, Now: clk.Now, Workflow: emulator.Workflow{RepositoryID: 4242}})
	e.emu.AddRepo(repo, true)
	rel := e.create(map[string]any{"tag_name": "v2.0.0", "draft": true})
	contents := map[string][]byte{"demo.tgz": []byte("archive bytes"), "checksums.txt": []byte("sums\n"), "demo.zip": []byte("zip")}
	for name, c := range contents {
		e.uploadBytes(rel.ID, name, c).want(t, http.StatusCreated)
	}
	pub := decode[emulator.Release](t, e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), map[string]any{"draft": false}).want(t, http.StatusOK))
	commit, ok := e.emu.Git().TagCommit(repo, "v2.0.0")
	if !ok {
		t.Fatal("no tag after the publish")
	}
	sha1 := "sha1:" + commit
	immutable := func() bool {
		return decode[emulator.Release](t, e.do("GET", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), nil)).Immutable
	}
	// Until ImmutableAfter has passed: not immutable, no attestation listed.
	for _, step := range []time.Duration{0, after / 2, after/2 - time.Millisecond} {
		clk.advance(step)
		if pub.Immutable || immutable() {
			t.Errorf("immutable %s before ImmutableAfter", after-clk.since(pub.PublishedAt))
		}
		if n := len(e.listAttestations(sha1, "?predicate_type=release").Attestations); n != 0 {
			t.Errorf("the release attestation is listed before ImmutableAfter (%d)", n)
		}
		if r := e.do("GET", e.srv.URL+"/_attestations/1", nil); r.status != http.StatusNotFound {
			t.Errorf("bundle_url serves a hidden attestation: %d", r.status)
		}
	}
	if n := len(e.emu.Attestations(repo, sha1)); n != 1 {
		t.Fatalf("stored release attestations: %d, want 1 (signed at the publish)", n)
	}
	clk.advance(time.Millisecond)
	if !immutable() {
		t.Fatal("not immutable once ImmutableAfter has passed")
	}
	list := e.listAttestations(sha1, "?predicate_type=release").Attestations
	if len(list) != 1 || list[0].Initiator != "github" || list[0].RepositoryID != 4242 {
		t.Fatalf("release attestations %+v", list)
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(list[0].Bundle); err != nil {
		t.Fatal(err)
	}
	// gh release verify's policy: SAN exactly GitHub's release signer, any issuer.
	san, _ := verify.NewSANMatcher("", "^"+regexp.QuoteMeta(emulator.ReleaseSignerSAN)+"$")
	iss, _ := verify.NewIssuerMatcher("", ".*")
	id, err := verify.NewCertificateIdentity(san, iss, certificate.Extensions{})
	if err != nil {
		t.Fatal(err)
	}
	commitBytes, _ := hex.DecodeString(commit)
	res, err := verifyBundle(t, e.emu.TrustedRoot(), b.Bundle, "sha1", commitBytes, verify.WithCertificateIdentity(id))
	if err != nil {
		t.Fatalf("the release attestation does not verify: %v", err)
	}
	// Subjects: the purl at the commit, then exactly the assets' digests.
	var wantAssets, gotAssets []string
	for _, a := range e.emu.Assets(repo, rel.ID) {
		wantAssets = append(wantAssets, a.Name+" sha256:"+hex.EncodeToString(sum256(contents[a.Name])))
	}
	st := res.Statement
	if st.GetPredicateType() != emulator.PredicateRelease || len(st.GetSubject()) == 0 {
		t.Fatalf("statement %v", st)
	}
	purl := "pkg:github/" + repo + "@v2.0.0"
	if s0 := st.GetSubject()[0]; s0.GetUri() != purl || s0.GetDigest()["sha1"] != commit {
		t.Errorf("first subject %v, want %s at %s", s0, purl, commit)
	}
	for _, s := range st.GetSubject()[1:] {
		gotAssets = append(gotAssets, s.GetName()+" sha256:"+s.GetDigest()["sha256"])
	}
	sort.Strings(wantAssets)
	sort.Strings(gotAssets)
	if strings.Join(gotAssets, "\n") != strings.Join(wantAssets, "\n") {
		t.Errorf("asset subjects\n%s\nwant\n%s", strings.Join(gotAssets, "\n"), strings.Join(wantAssets, "\n"))
	}
	pred := st.GetPredicate().GetFields()
	if pred["tag"].GetStringValue() != "v2.0.0" || pred["repository"].GetStringValue() != repo ||
		pred["purl"].GetStringValue() != purl || pred["databaseId"].GetStringValue() != itoa(rel.ID) ||
		pred["repositoryId"].GetStringValue() != "4242" || pred["ownerId"].GetStringValue() != itoa(e.emu.Workflow().OwnerID) {
		t.Errorf("predicate %v", pred)
	}
	// It is listed under every asset's digest too, and the workflow identity does not fit it.
	for name, c := range contents {
		if n := len(e.listAttestations("sha256:"+hex.EncodeToString(sum256(c)), "?predicate_type=release").Attestations); n != 1 {
			t.Errorf("%s: %d release attestations by its digest", name, n)
		}
	}
	if _, err := verifyBundle(t, e.emu.TrustedRoot(), b.Bundle, "sha1", commitBytes, workflowIdentity(t, repo)); err == nil {
		t.Error("the release attestation passes as a workflow's")
	}
}

// A release in a repository without immutable releases gets no attestation.
func TestNoReleaseAttestationWhenMutable(t *testing.T) {
	e := sigEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1.0.0"})
	e.uploadBytes(rel.ID, "a.txt", []byte("a"))
	commit, _ := e.emu.Git().TagCommit(repo, "v1.0.0")
	if n := len(e.emu.Attestations(repo, "sha1:"+commit)); n != 0 {
		t.Fatalf("%d attestations for a mutable release", n)
	}
}

// manualClock is Options.Now under the test's hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *manualClock) since(t time.Time) time.Duration { return c.Now().Sub(t) }
