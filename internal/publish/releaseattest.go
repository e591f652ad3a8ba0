package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/releasekit/release-action/internal/attest"
)

// ReleasePredicate is the predicate type of GitHub's release attestation: the
// statement, signed by GitHub when an immutable release is published, that
// these assets (by sha256) are the release of this tag.
const ReleasePredicate = "https://in-toto.io/attestation/release/v0.2"

// releaseSAN is the identity in the certificate of github.com's release
// attestations.
const releaseSAN = "^https://dotcom\\.releases\\.github\\.com$"

// StoredAttestation is one attestation GitHub's attestations API lists.
type StoredAttestation struct {
	Bundle    json.RawMessage `json:"bundle"`
	Initiator string          `json:"initiator"` // "github" for GitHub's own
}

// AttestationReader lists attestations by subject digest; ghclient implements
// it next to GitHub.
// https://docs.github.com/rest/repos/repos#list-attestations
type AttestationReader interface {
	ListAttestations(ctx context.Context, digest, predicateType string) ([]StoredAttestation, error)
}

// releaseAttestationWait bounds the wait for GitHub to mark a published
// release immutable and attest it.
var releaseAttestationWait = 2 * time.Minute

// checkReleaseAttestation waits, within releaseAttestationWait, until GitHub
// marks the published release immutable, then finds GitHub's release
// attestation for its tag and checks that it covers exactly the release's
// assets with the digests the release lists (which the download check, when
// on, has compared with what was uploaded). With a trusted root
// (Publisher.TrustedRoot) the signature is checked too: GitHub's certificate
// for releases, a signed timestamp. What gh release verify and gh release
// verify-asset check, from the workflow, before anyone downloads.
func (r *run) checkReleaseAttestation(ctx context.Context, rel *Release, list []*Asset) error {
	reader, ok := r.p.GH.(AttestationReader)
	if !ok {
		return nil
	}
	rel, err := r.waitImmutable(ctx, rel)
	if err != nil || rel == nil {
		return err
	}
	obj, found, err := r.p.GH.GetRef(ctx, "tags/"+r.j.Tag)
	if err != nil || !found {
		return fmt.Errorf("%s: read tag %s for its release attestation: %v", r.j.Words.Input("verify"), r.j.Tag, errOr(err, "the tag is gone"))
	}
	digest := "sha1:" + obj.SHA
	if len(obj.SHA) == 64 {
		digest = "sha256:" + obj.SHA
	}
	stored, err := reader.ListAttestations(ctx, digest, "release")
	if err != nil {
		return fmt.Errorf("%s: list the release attestations of %s (%s): %w", r.j.Words.Input("verify"), r.j.Tag, digest, err)
	}
	var found2 []*attest.Read
	var raw [][]byte
	for _, s := range stored {
		read, err := attest.ReadBundle(s.Bundle)
		if err != nil || read.PredicateType != ReleasePredicate || read.Tag != r.j.Tag {
			continue
		}
		found2, raw = append(found2, read), append(raw, s.Bundle)
	}
	switch len(found2) {
	case 0:
		return fmt.Errorf("%s: GitHub has no release attestation for %s (%s) although the release is immutable: %w", r.j.Words.Input("verify"), r.j.Tag, digest, ErrVerify)
	case 1:
	default:
		return fmt.Errorf("%s: GitHub lists %d release attestations for %s: %w", r.j.Words.Input("verify"), len(found2), r.j.Tag, ErrVerify)
	}
	if r.p.TrustedRoot != nil {
		if _, err := attest.VerifyBundle(r.p.TrustedRoot, raw[0], attest.Identity{SANRegexp: releaseSAN, IssuerRegexp: ".*"}, "sha1", obj.SHA); err != nil {
			return fmt.Errorf("%s: the release attestation of %s does not verify: %v: %w", r.j.Words.Input("verify"), r.j.Tag, err, ErrVerify)
		}
	}
	if bad := compareAttested(found2[0].Subjects, list); len(bad) > 0 {
		return fmt.Errorf("%s: GitHub's release attestation of %s does not cover the release's assets: %s: %w", r.j.Words.Input("verify"), r.j.Tag, strings.Join(bad, "; "), ErrVerify)
	}
	how := "its subjects match"
	if r.p.TrustedRoot != nil {
		how = "its signature verifies and its subjects match"
	}
	r.p.Log.Infof("%s: GitHub's release attestation of %s covers its %d assets (%s)", r.j.Words.Input("verify"), r.j.Tag, len(list), how)
	r.releaseAttested = true
	return nil
}

// waitImmutable reads the release until GitHub marks it immutable, when the
// repository makes published releases immutable; nil when it does not.
func (r *run) waitImmutable(ctx context.Context, rel *Release) (*Release, error) {
	if !rel.Immutable {
		ir, ok := r.p.GH.(ImmutabilityReader)
		if !ok {
			return nil, nil
		}
		setting, err := ir.Immutability(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: read the repository's immutable-releases setting: %w", r.j.Words.Input("verify"), err)
		}
		if setting != ImmutabilityOn {
			r.p.Log.Infof("%s: immutable releases are %s for this repository, so GitHub makes no release attestation", r.j.Words.Input("verify"), setting)
			return nil, nil
		}
	}
	deadline := time.Now().Add(releaseAttestationWait)
	for wait := 500 * time.Millisecond; !rel.Immutable; wait = min(2*wait, 10*time.Second) {
		if time.Now().Add(wait).After(deadline) {
			return nil, fmt.Errorf("%s: GitHub did not mark release %s immutable within %s although the repository makes published releases immutable: %w", r.j.Words.Input("verify"), r.j.Tag, releaseAttestationWait, ErrVerify)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		got, err := r.p.GH.GetRelease(ctx, rel.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: read release %d back: %w", r.j.Words.Input("verify"), rel.ID, err)
		}
		rel = got
	}
	return rel, nil
}

// compareAttested lists how the attested asset subjects differ from the
// release's assets: each asset must be a subject with its digest, and each
// named subject an asset.
func compareAttested(subjects []attest.Subject, list []*Asset) []string {
	want := map[string]string{}
	for _, a := range list {
		want[a.Name] = a.SHA256()
	}
	got := map[string]string{}
	for _, s := range subjects {
		if s.Name != "" {
			got[s.Name] = s.SHA256
		}
	}
	var bad []string
	for name, sum := range want {
		switch g, ok := got[name]; {
		case !ok:
			bad = append(bad, name+": not attested")
		case sum != "" && g != sum:
			bad = append(bad, fmt.Sprintf("%s: attested sha256:%s, the release lists sha256:%s", name, g, sum))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			bad = append(bad, name+": attested, not on the release")
		}
	}
	sort.Strings(bad)
	return bad
}

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}

// trustedRoot is what verifies signatures (Publisher.TrustedRoot).
type trustedRoot = root.TrustedMaterial
