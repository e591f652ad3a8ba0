package attest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"time"

	httptransport "github.com/go-openapi/runtime/client"
	"github.com/go-openapi/strfmt"
	rekorclient "github.com/sigstore/rekor/pkg/generated/client"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"google.golang.org/protobuf/encoding/protojson"
)

// Signer makes attestations for one run.
type Signer struct {
	Instance Instance
	Tokens   TokenSource
	// Repository is "owner/name": the token must be this repository's.
	Repository string
	// ServerURL is GitHub's web URL (GITHUB_SERVER_URL), the base of the
	// provenance's URIs.
	ServerURL string
	Bounds    Bounds
	// Transport, when set, carries every request (tests); nil dials directly.
	Transport http.RoundTripper
	// Now, when set, replaces time.Now for choosing services.
	Now func() time.Time
}

// Attestation is one signed statement.
type Attestation struct {
	Subjects []Subject
	// Bundle is the Sigstore bundle (v0.3) as JSON: what is stored with GitHub
	// and attached to the release.
	Bundle []byte
	// Claims are the token's claims the provenance was built from.
	Claims *Claims
}

// Service failures, told apart so that messages and tests can name the service.
var (
	ErrToken     = errors.New("OIDC token")
	ErrFulcio    = errors.New("Fulcio")
	ErrWitness   = errors.New("transparency log or timestamp authority")
	ErrNoService = errors.New("signing config")
)

// Sign makes one attestation of SLSA build provenance for the subjects: it
// fetches a fresh OIDC token, has a fresh key certified by Fulcio, signs the
// statement, and has the signature witnessed.
func (s *Signer) Sign(ctx context.Context, subjects []Subject) (*Attestation, error) {
	b := s.Bounds
	if b.Total <= 0 {
		b = DefaultBounds
	}
	rt := newTransport(ctx, s.Transport, b)
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	ca, err := root.SelectService(s.Instance.Config.FulcioCertificateAuthorityURLs(), sign.FulcioAPIVersions, now)
	if err != nil {
		return nil, fmt.Errorf("%w %s: no usable certificate authority: %v", ErrNoService, s.Instance.Name, err)
	}
	opts := sign.BundleOptions{Context: ctx}
	fulcio := &certified{p: sign.NewFulcio(&sign.FulcioOptions{BaseURL: ca.URL, Timeout: b.Total, Retries: 1, Transport: rt})}
	opts.CertificateProvider = fulcio
	if tsas := s.Instance.Config.TimestampAuthorityURLs(); len(tsas) > 0 {
		chosen, err := root.SelectServices(tsas, s.Instance.Config.TimestampAuthorityURLsConfig(), sign.TimestampAuthorityAPIVersions, now)
		if err != nil {
			return nil, fmt.Errorf("%w %s: no usable timestamp authority: %v", ErrNoService, s.Instance.Name, err)
		}
		for _, t := range chosen {
			opts.TimestampAuthorities = append(opts.TimestampAuthorities, sign.NewTimestampAuthority(&sign.TimestampAuthorityOptions{URL: t.URL, Timeout: b.Total, Retries: 1, Transport: rt}))
		}
	}
	if logs := s.Instance.Config.RekorLogURLs(); len(logs) > 0 {
		// Rekor v1 only: its client can be given this run's bounded transport.
		chosen, err := root.SelectServices(logs, s.Instance.Config.RekorLogURLsConfig(), []uint32{1}, now)
		if err != nil {
			return nil, fmt.Errorf("%w %s: no usable transparency log (Rekor API v1): %v", ErrNoService, s.Instance.Name, err)
		}
		for _, l := range chosen {
			u, err := url.Parse(l.URL)
			if err != nil || u.Host == "" {
				return nil, fmt.Errorf("%w %s: the log URL %q is not a URL", ErrNoService, s.Instance.Name, l.URL)
			}
			tr := httptransport.NewWithClient(u.Host, path.Join(u.Path, rekorclient.DefaultBasePath), []string{u.Scheme}, &http.Client{Transport: rt})
			rekor := sign.NewRekor(&sign.RekorOptions{BaseURL: l.URL, Timeout: b.Total, Retries: 1, Version: 1, Client: rekorclient.New(tr, strfmt.Default).Entries})
			opts.TransparencyLogs = append(opts.TransparencyLogs, logged{rekor})
		}
	}

	hc := &http.Client{Transport: rt}
	token, err := fetchToken(ctx, hc, s.Tokens)
	if err != nil {
		return nil, serviceErr(ErrToken, err)
	}
	claims, err := parseClaims(token)
	if err != nil {
		return nil, serviceErr(ErrToken, err)
	}
	if claims.Repository != s.Repository {
		return nil, fmt.Errorf("%w: the token is for repository %q, and this run publishes to %q", ErrToken, claims.Repository, s.Repository)
	}
	payload, err := statement(subjects, provenance(s.ServerURL, claims))
	if err != nil {
		return nil, err
	}
	opts.CertificateProviderOptions = &sign.CertificateProviderOptions{IDToken: token}

	keypair, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		return nil, err
	}
	bundle, err := sign.Bundle(&sign.DSSEData{Data: payload, PayloadType: PayloadType}, keypair, opts)
	switch {
	case err != nil && !fulcio.ok:
		return nil, serviceErr(ErrFulcio, err)
	case err != nil && !errors.Is(err, ErrWitness):
		// sign.Bundle asks the timestamp authorities right after the
		// certificate, and the logs (whose errors say so) last.
		return nil, serviceErr(ErrWitness, err)
	case err != nil:
		return nil, err
	}
	out, err := protojson.Marshal(bundle)
	if err != nil {
		return nil, err
	}
	if err := checkMade(out, keypair, s.Repository, subjects); err != nil {
		return nil, serviceErr(ErrFulcio, err)
	}
	return &Attestation{Subjects: subjects, Bundle: out, Claims: claims}, nil
}

// checkMade reads back the bundle just made: the certificate must be for the
// key this run made and name this repository as the source, and the
// statement must cover every subject. A trusted root checks more (the
// chain, the timestamp); this holds without one.
func checkMade(data []byte, keypair *sign.EphemeralKeypair, repository string, subjects []Subject) error {
	read, err := ReadBundle(data)
	if err != nil {
		return err
	}
	if !read.pub.Equal(keypair.GetPublicKey()) {
		return fmt.Errorf("the certificate Fulcio issued is not for the key this run made")
	}
	for _, s := range subjects {
		if !read.Covers(repository, s.Name, s.SHA256) {
			return fmt.Errorf("the certificate Fulcio issued names the source repository %q, not %s", read.SourceRepository, repository)
		}
	}
	return nil
}

// serviceError is a failure of one service: it matches that service's
// sentinel (errors.Is) and reads as one line, the service first.
type serviceError struct{ service, err error }

func (e serviceError) Error() string        { return e.service.Error() + ": " + e.err.Error() }
func (e serviceError) Unwrap() error        { return e.err }
func (e serviceError) Is(target error) bool { return target == e.service }

func serviceErr(service, err error) error { return serviceError{service, err} }

// certified passes the certificate provider through and records its success:
// sign.Bundle's errors do not say which service failed.
type certified struct {
	p  sign.CertificateProvider
	ok bool
}

func (c *certified) GetCertificate(ctx context.Context, k sign.Keypair, o *sign.CertificateProviderOptions) ([]byte, error) {
	cert, err := c.p.GetCertificate(ctx, k, o)
	c.ok = err == nil
	return cert, err
}

// logged marks a transparency log's failures.
type logged struct{ t sign.Transparency }

func (l logged) GetTransparencyLogEntry(ctx context.Context, pem []byte, b *protobundle.Bundle) error {
	if err := l.t.GetTransparencyLogEntry(ctx, pem, b); err != nil {
		return serviceErr(ErrWitness, err)
	}
	return nil
}
