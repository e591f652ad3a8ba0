package attest

import (
	"encoding/hex"
	"fmt"
	"regexp"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Identity is who must have signed: a certificate whose SAN matches SANRegexp
// and whose OIDC issuer is Issuer (or matches IssuerRegexp).
type Identity struct {
	SANRegexp    string
	Issuer       string
	IssuerRegexp string
}

// WorkflowIdentity is the identity of any workflow of repository
// ("owner/name"), as GitHub Actions' token issuer vouches for it, on
// github.com or a GHE.com host.
func WorkflowIdentity(repository string) Identity {
	return Identity{SANRegexp: "^https://[^/]+/" + regexp.QuoteMeta(repository) + "/", IssuerRegexp: `^https://token\.actions\.`}
}

// VerifyBundle checks a bundle against a trusted root with sigstore-go's
// verifier: the certificate chains to the root's certificate authority, the
// signature is witnessed (a signed timestamp, or a log entry when the root
// lists logs), the signer is id, and the statement has a subject with the
// digest (hex) of algorithm alg ("sha256", "sha1"). It returns the verified
// statement's subjects.
func VerifyBundle(trusted root.TrustedMaterial, data []byte, id Identity, alg, hexDigest string) ([]Subject, error) {
	var b bundle.Bundle
	if err := b.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("not a Sigstore bundle: %w", err)
	}
	opts := []verify.VerifierOption{verify.WithSignedTimestamps(1)}
	if len(trusted.RekorLogs()) > 0 {
		opts = []verify.VerifierOption{verify.WithObserverTimestamps(1), verify.WithTransparencyLog(1)}
	}
	v, err := verify.NewVerifier(trusted, opts...)
	if err != nil {
		return nil, err
	}
	san, err := verify.NewSANMatcher("", id.SANRegexp)
	if err != nil {
		return nil, err
	}
	issuer, err := verify.NewIssuerMatcher(id.Issuer, id.IssuerRegexp)
	if err != nil {
		return nil, err
	}
	certID, err := verify.NewCertificateIdentity(san, issuer, certificate.Extensions{})
	if err != nil {
		return nil, err
	}
	digest, err := hex.DecodeString(hexDigest)
	if err != nil {
		return nil, fmt.Errorf("%q is not a hex digest", hexDigest)
	}
	res, err := v.Verify(&b, verify.NewPolicy(verify.WithArtifactDigest(alg, digest), verify.WithCertificateIdentity(certID)))
	if err != nil {
		return nil, err
	}
	var subs []Subject
	for _, s := range res.Statement.GetSubject() {
		subs = append(subs, Subject{Name: s.GetName(), SHA256: s.GetDigest()["sha256"]})
	}
	return subs, nil
}
