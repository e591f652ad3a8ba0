package emulator

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
)

// leafLifetime is how long a Fulcio certificate is valid (Fulcio: 10 minutes).
const leafLifetime = 10 * time.Minute

// fulcioRequest is Fulcio v2's signingCert body as sigstore-go's sign.Fulcio
// sends it: the public key and a signature over the token's subject.
// https://github.com/sigstore/fulcio/blob/main/fulcio.proto
type fulcioRequest struct {
	Credentials *struct {
		OIDCIdentityToken string `json:"oidcIdentityToken"`
	} `json:"credentials"`
	PublicKeyRequest *struct {
		PublicKey struct {
			Algorithm string `json:"algorithm"`
			Content   string `json:"content"`
		} `json:"publicKey"`
		ProofOfPossession string `json:"proofOfPossession"`
	} `json:"publicKeyRequest"`
}

type fulcioChain struct {
	Chain struct {
		Certificates []string `json:"certificates"`
	} `json:"chain"`
}

// fulcioError answers as Fulcio's gateway does: a gRPC code and a message.
func fulcioError(w http.ResponseWriter, status int, msg string) {
	code := map[int]int{http.StatusBadRequest: 3, http.StatusUnauthorized: 16, http.StatusInternalServerError: 13}[status]
	writeJSON(w, status, map[string]any{"code": code, "message": msg, "details": []any{}})
}

// signingCert serves POST /_sigstore/fulcio/api/v2/signingCert: it checks the
// OIDC token (the emulator's key, GitHub's issuer, audience "sigstore", not
// expired) and the proof of possession (the key's signature over the token's
// subject), then answers the chain leaf, intermediate, root. No CT log:
// signedCertificateDetachedSct without an SCT, as GitHub's own instance.
func (s *Server) signingCert(w http.ResponseWriter, r *http.Request, _ route) {
	var req fulcioRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		fulcioError(w, http.StatusBadRequest, "The request body is not Fulcio's JSON: "+err.Error())
		return
	}
	raw := ""
	if scheme, cred, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " "); ok && strings.EqualFold(scheme, "bearer") {
		raw = strings.TrimSpace(cred)
	}
	if raw == "" && req.Credentials != nil {
		raw = req.Credentials.OIDCIdentityToken
	}
	k := s.sigstore()
	tok, err := k.verifyToken(raw, "sigstore", time.Now())
	if err != nil {
		fulcioError(w, http.StatusUnauthorized, err.Error())
		return
	}
	if req.PublicKeyRequest == nil {
		fulcioError(w, http.StatusBadRequest, "publicKeyRequest is missing (certificate signing requests are not modelled)")
		return
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey([]byte(req.PublicKeyRequest.PublicKey.Content))
	if err != nil {
		fulcioError(w, http.StatusBadRequest, "The public key cannot be parsed: "+err.Error())
		return
	}
	if err := proofOfPossession(pub, tok.std.Subject, req.PublicKeyRequest.ProofOfPossession); err != nil {
		fulcioError(w, http.StatusBadRequest, "The signature supplied in the request could not be verified: "+err.Error())
		return
	}
	leaf, err := k.workflowLeaf(pub, tok.gh, time.Now())
	if err != nil {
		fulcioError(w, http.StatusInternalServerError, err.Error())
		return
	}
	var out fulcioChain
	for _, c := range []*x509.Certificate{leaf, k.fulcio, k.root} {
		out.Chain.Certificates = append(out.Chain.Certificates, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})))
	}
	writeJSON(w, http.StatusOK, map[string]any{"signedCertificateDetachedSct": out})
}

// proofOfPossession checks that sig (base64) is the key's signature over subject.
func proofOfPossession(pub crypto.PublicKey, subject, sig string) error {
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return err
	}
	v, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		return err
	}
	return v.VerifySignature(bytes.NewReader(raw), bytes.NewReader([]byte(subject)))
}

// Fulcio's certificate extensions.
// https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
func fulcioOID(n int) asn1.ObjectIdentifier {
	return asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, n}
}

// workflowLeaf is the code-signing certificate Fulcio issues for a GitHub
// Actions token: SAN URI https://github.com/ + job_workflow_ref, and the
// extensions Fulcio derives from GitHub's claims.
func (k *sigstoreKeys) workflowLeaf(pub crypto.PublicKey, c githubClaims, now time.Time) (*x509.Certificate, error) {
	srv := IdentityServer + "/"
	repoURI := srv + c.Repository
	ext := []struct {
		n int
		v string
	}{
		{8, OIDCIssuer},
		{9, srv + c.JobWorkflowRef},
		{10, c.JobWorkflowSHA},
		{11, c.RunnerEnvironment},
		{12, repoURI},
		{13, c.SHA},
		{14, c.Ref},
		{15, c.RepositoryID},
		{16, srv + c.RepositoryOwner},
		{17, c.RepositoryOwnerID},
		{18, srv + c.WorkflowRef},
		{19, c.WorkflowSHA},
		{20, c.EventName},
		{21, repoURI + "/actions/runs/" + c.RunID + "/attempts/" + c.RunAttempt},
		{22, c.RepositoryVisibility},
	}
	var extra []pkix.Extension
	// The deprecated extensions hold the raw string, not DER.
	for i, v := range []string{OIDCIssuer, c.EventName, c.SHA, c.Workflow, c.Repository, c.Ref} {
		extra = append(extra, pkix.Extension{Id: fulcioOID(i + 1), Value: []byte(v)})
	}
	for _, e := range ext {
		der, err := asn1.MarshalWithParams(e.v, "utf8")
		if err != nil {
			return nil, err
		}
		extra = append(extra, pkix.Extension{Id: fulcioOID(e.n), Value: der})
	}
	san, err := url.Parse(srv + c.JobWorkflowRef)
	if err != nil {
		return nil, fmt.Errorf("job_workflow_ref %q is not a URI path: %w", c.JobWorkflowRef, err)
	}
	return k.leaf(pub, san, extra, now), nil
}

// leaf issues a code-signing certificate from the Fulcio intermediate.
func (k *sigstoreKeys) leaf(pub crypto.PublicKey, san *url.URL, extra []pkix.Extension, now time.Time) *x509.Certificate {
	return issue(&x509.Certificate{
		Subject:         pkix.Name{},
		NotBefore:       now.Truncate(time.Second),
		NotAfter:        now.Truncate(time.Second).Add(leafLifetime),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		URIs:            []*url.URL{san},
		ExtraExtensions: extra,
	}, k.fulcio, pub, k.fulcioKey)
}
