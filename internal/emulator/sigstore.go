package emulator

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	prototrustroot "github.com/sigstore/protobuf-specs/gen/pb-go/trustroot/v1"
	"github.com/sigstore/sigstore-go/pkg/root"
)

// The emulator's Sigstore: what GitHub runs for private repositories (its own
// Fulcio and an RFC 3161 timestamp authority instead of a public log), with keys
// generated when the server first needs them and never written anywhere.
//
// URL layout, on the web host of a server reached at http://HOST (both layouts):
//
//	OIDC token (the runner):  GET  http://HOST/_services/token?api-version=2.0&audience=X
//	Fulcio (signing config):       http://HOST/_sigstore/fulcio   (+ /api/v2/signingCert)
//	timestamp authority:      POST http://HOST/_sigstore/tsa/api/v1/timestamp
//
// Identities in tokens and certificates name https://github.com whatever HOST is:
// the emulator models github.com, and verifiers check those names.
const (
	// OIDCIssuer is the iss of the job's OIDC token and the issuer extension of
	// the certificates Fulcio issues for it.
	OIDCIssuer = "https://token.actions.githubusercontent.com"
	// IdentityServer is the server named in identities (SAN URIs, repository URIs).
	IdentityServer = "https://github.com"
	// ReleaseSignerSAN is the SAN URI of the certificate GitHub signs release
	// attestations with (gh release verify checks exactly this).
	ReleaseSignerSAN = "https://dotcom.releases.github.com"
	// SigstoreOrganization is the Organization of every certificate the
	// emulator's authorities hold, the one GitHub's own instance uses: gh
	// treats such bundles as GitHub's (a signed timestamp, no public log).
	SigstoreOrganization = "GitHub, Inc."

	// TokenPath serves the job's OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL).
	TokenPath = "/_services/token"
	// FulcioPath is Fulcio's base URL path (the signing config's caUrls).
	FulcioPath = "/_sigstore/fulcio"
	// TimestampPath is the timestamp authority's URL path (the signing config's tsaUrls).
	TimestampPath = "/_sigstore/tsa/api/v1/timestamp"
)

// Route names of the Sigstore services, for Request.Route and Fault.Route.
const (
	RouteIDToken     = "id_token"
	RouteSigningCert = "fulcio_signing_cert"
	RouteTimestamp   = "tsa_timestamp"
)

// ownCredentials are the routes that check their own credentials (or none)
// instead of the API token: the runner's token service takes the job's request
// token, Fulcio the OIDC token, the timestamp authority nothing.
var ownCredentials = map[string]bool{
	RouteIDToken:           true,
	RouteSigningCert:       true,
	RouteTimestamp:         true,
	RouteAttestationBundle: true,
}

func init() {
	routeDocs[RouteIDToken] = "https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect"
	routeDocs[RouteSigningCert] = "https://github.com/sigstore/fulcio/blob/main/docs/how-certificate-issuing-works.md"
	routeDocs[RouteTimestamp] = "https://www.rfc-editor.org/rfc/rfc3161"
}

// sigstoreKeys are the emulator's authorities: one root over Fulcio's
// intermediate and the timestamp authority's intermediate and leaf, and the
// runner's OIDC signing key.
type sigstoreKeys struct {
	start     time.Time
	root      *x509.Certificate
	rootKey   *ecdsa.PrivateKey
	fulcio    *x509.Certificate // intermediate; issues the leaves
	fulcioKey *ecdsa.PrivateKey
	tsaInter  *x509.Certificate
	tsa       *x509.Certificate // leaf; signs the timestamps
	tsaKey    *ecdsa.PrivateKey
	oidcKey   *ecdsa.PrivateKey
	oidcKID   string
	trusted   *root.TrustedRoot
}

// sigstoreOnce makes the keys on first use (a test server that never signs
// pays nothing) and keeps them for the server's life.
type sigstoreOnce struct {
	once sync.Once
	keys *sigstoreKeys
}

func (s *Server) sigstore() *sigstoreKeys {
	s.sig.once.Do(func() { s.sig.keys = newSigstoreKeys(time.Now()) })
	return s.sig.keys
}

func newKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("emulator: generating a key: %v", err)) // crypto/rand never fails on a supported platform
	}
	return k
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(fmt.Sprintf("emulator: serial number: %v", err))
	}
	return n.Add(n, big.NewInt(1))
}

// randomHex is n random bytes in hex. (A slice of serial()'s bytes is not:
// a random number has fewer bytes when it is small, one time in 128 for 16.)
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("emulator: random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

// issue signs template for pub with the parent's key (self-signed when parent is nil).
func issue(template *x509.Certificate, parent *x509.Certificate, pub crypto.PublicKey, parentKey crypto.Signer) *x509.Certificate {
	if parent == nil {
		parent = template
	}
	template.SerialNumber = serial()
	der, err := x509.CreateCertificate(rand.Reader, template, parent, pub, parentKey)
	if err != nil {
		panic(fmt.Sprintf("emulator: issuing %q: %v", template.Subject.CommonName, err))
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(fmt.Sprintf("emulator: parsing %q: %v", template.Subject.CommonName, err))
	}
	return c
}

// oidTimestamping is the extended key usage a timestamp authority's leaf must
// carry, marked critical (RFC 3161 section 2.3).
var oidTimestamping = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}

func newSigstoreKeys(now time.Time) *sigstoreKeys {
	k := &sigstoreKeys{start: now.Add(-time.Minute).Truncate(time.Second)}
	notAfter := now.Add(365 * 24 * time.Hour)
	name := func(cn string) pkix.Name {
		return pkix.Name{CommonName: cn, Organization: []string{SigstoreOrganization}}
	}
	k.rootKey = newKey()
	k.root = issue(&x509.Certificate{
		Subject: name("release-action emulator root"), NotBefore: k.start, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
	}, nil, &k.rootKey.PublicKey, k.rootKey)
	k.fulcioKey = newKey()
	k.fulcio = issue(&x509.Certificate{
		Subject: name("release-action emulator fulcio"), NotBefore: k.start, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		BasicConstraintsValid: true, IsCA: true, MaxPathLenZero: true,
	}, k.root, &k.fulcioKey.PublicKey, k.rootKey)
	interKey := newKey()
	k.tsaInter = issue(&x509.Certificate{
		Subject: name("release-action emulator timestamping intermediate"), NotBefore: k.start, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
		BasicConstraintsValid: true, IsCA: true, MaxPathLenZero: true,
	}, k.root, &interKey.PublicKey, k.rootKey)
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{oidTimestamping})
	if err != nil {
		panic(err)
	}
	k.tsaKey = newKey()
	k.tsa = issue(&x509.Certificate{
		Subject: name("release-action emulator timestamping"), NotBefore: k.start, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature,
		// The critical EKU replaces the one ExtKeyUsage would make.
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
	}, k.tsaInter, &k.tsaKey.PublicKey, interKey)
	k.oidcKey = newKey()
	k.oidcKID = randomHex(8)

	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		[]root.CertificateAuthority{&root.FulcioCertificateAuthority{
			Root: k.root, Intermediates: []*x509.Certificate{k.fulcio},
			ValidityPeriodStart: k.start, URI: IdentityServer + FulcioPath,
		}},
		nil,
		[]root.TimestampingAuthority{&root.SigstoreTimestampingAuthority{
			Root: k.root, Intermediates: []*x509.Certificate{k.tsaInter}, Leaf: k.tsa,
			ValidityPeriodStart: k.start, URI: IdentityServer + TimestampPath,
		}},
		nil)
	if err != nil {
		panic(fmt.Sprintf("emulator: trusted root: %v", err))
	}
	k.trusted = tr
	return k
}

// TrustedRoot is the emulator's Sigstore trust root, for sigstore-go's verifier.
func (s *Server) TrustedRoot() *root.TrustedRoot { return s.sigstore().trusted }

// TrustedRootJSON is the trust root in Sigstore's trusted_root.json format, on
// one line (gh's --custom-trusted-root reads the file as JSON lines): the
// Fulcio chain under certificateAuthorities, the timestamp authority's chain
// under timestampAuthorities, no transparency or CT logs.
func (s *Server) TrustedRootJSON() []byte {
	raw, err := s.sigstore().trusted.MarshalJSON()
	if err != nil {
		panic(fmt.Sprintf("emulator: trusted root JSON: %v", err))
	}
	return oneLine(raw)
}

// SigningConfigJSON is a Sigstore signing config (media type
// application/vnd.dev.sigstore.signingconfig.v0.2+json) that sends a client
// reaching the server at origin (such as http://127.0.0.1:8484) to the
// emulator's Fulcio and timestamp authority; no OIDC provider URL (the token
// comes from the runner's service) and no transparency log, as with GitHub's
// own instance.
func (s *Server) SigningConfigJSON(origin string) []byte {
	origin = strings.TrimRight(origin, "/")
	start := s.sigstore().start
	svc := func(url string) root.Service {
		return root.Service{URL: url, MajorAPIVersion: 1, ValidityPeriodStart: start, Operator: "release-action emulator"}
	}
	sc, err := root.NewSigningConfig(root.SigningConfigMediaType02,
		[]root.Service{svc(origin + FulcioPath)},
		nil,
		nil,
		root.ServiceConfiguration{Selector: prototrustroot.ServiceSelector_ANY},
		[]root.Service{svc(origin + TimestampPath)},
		root.ServiceConfiguration{Selector: prototrustroot.ServiceSelector_ANY})
	if err != nil {
		panic(fmt.Sprintf("emulator: signing config: %v", err))
	}
	raw, err := sc.MarshalJSON()
	if err != nil {
		panic(fmt.Sprintf("emulator: signing config JSON: %v", err))
	}
	return oneLine(raw)
}

// oneLine compacts JSON (protojson varies its spacing from build to build).
func oneLine(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		panic(fmt.Sprintf("emulator: compacting JSON: %v", err))
	}
	return b.Bytes()
}
