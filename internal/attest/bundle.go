package attest

import (
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
)

// MaxBundleBytes caps a bundle read back from a release: a bundle is a few
// KiB plus about 150 bytes a subject.
const MaxBundleBytes = 4 << 20

// BundleSuffix is appended to an asset's name to name its bundle on the release.
const BundleSuffix = ".sigstore.json"

// Read is what a bundle found on a release says, unverified: its predicate
// type, its subjects, and the repository its certificate names.
type Read struct {
	PredicateType string
	Subjects      []Subject
	// SourceRepository is the certificate's source repository URI
	// ("https://github.com/owner/name"), "" when it names none.
	SourceRepository string
	// Tag is the predicate's "tag" field (GitHub's release attestations), ""
	// when it has none.
	Tag string
	// pub is the certificate's public key.
	pub interface{ Equal(crypto.PublicKey) bool }
}

// ReadBundle parses a Sigstore bundle holding a DSSE in-toto statement. It
// checks the form only; VerifyBundle checks the signatures.
func ReadBundle(data []byte) (*Read, error) {
	if len(data) > MaxBundleBytes {
		return nil, fmt.Errorf("the bundle is %d bytes, more than %d", len(data), MaxBundleBytes)
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("not a Sigstore bundle: %w", err)
	}
	env, err := b.Envelope()
	if err != nil {
		return nil, fmt.Errorf("the bundle holds no DSSE envelope: %w", err)
	}
	st, err := env.Statement()
	if err != nil {
		return nil, fmt.Errorf("the bundle's envelope holds no in-toto statement: %w", err)
	}
	out := &Read{PredicateType: st.GetPredicateType(), Tag: st.GetPredicate().GetFields()["tag"].GetStringValue()}
	for _, s := range st.GetSubject() {
		out.Subjects = append(out.Subjects, Subject{Name: s.GetName(), SHA256: strings.ToLower(s.GetDigest()["sha256"])})
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return nil, fmt.Errorf("the bundle has no certificate: %w", err)
	}
	cert := vc.Certificate()
	if cert == nil {
		return nil, errors.New("the bundle is signed with a key, not a certificate")
	}
	ext, err := certificate.ParseExtensions(cert.Extensions)
	if err != nil {
		return nil, fmt.Errorf("the bundle's certificate: %w", err)
	}
	out.SourceRepository = ext.SourceRepositoryURI
	pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil, fmt.Errorf("the bundle's certificate has a key of an unknown kind")
	}
	out.pub = pub
	return out, nil
}

// Covers reports whether the bundle is build provenance from repository
// ("owner/name") whose subjects include name with the sha256 hex digest.
func (r *Read) Covers(repository, name, sha256 string) bool {
	if r.PredicateType != PredicateSLSA || !strings.HasSuffix(r.SourceRepository, "/"+repository) {
		return false
	}
	for _, s := range r.Subjects {
		if s.Name == name && s.SHA256 == strings.ToLower(sha256) {
			return true
		}
	}
	return false
}
