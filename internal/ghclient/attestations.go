package ghclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/releasekit/release-action/internal/publish"
)

// CreateAttestation stores a Sigstore bundle with GitHub's attestations API
// and returns the attestation's id. Sending it twice stores it twice, which
// changes what no one relies on (verifiers look attestations up by digest), so
// the request is retried like any other.
// https://docs.github.com/rest/repos/repos#create-an-attestation
func (c *Client) CreateAttestation(ctx context.Context, bundle []byte) (int64, error) {
	if !json.Valid(bundle) {
		return 0, fmt.Errorf("create attestation: the bundle is not JSON")
	}
	in := struct {
		Bundle json.RawMessage `json:"bundle"`
	}{bundle}
	var out struct {
		ID int64 `json:"id"`
	}
	if _, err := c.do(ctx, http.MethodPost, c.repoPath("attestations"), in, &out, true); err != nil {
		return 0, err
	}
	if out.ID <= 0 {
		return 0, fmt.Errorf("create attestation: the answer names no attestation id")
	}
	return out.ID, nil
}

// ListAttestations lists the attestations of the repository whose statements
// name the subject digest ("sha256:<hex>", "sha1:<hex>"), of one predicate
// type ("" = any), at most 100.
// https://docs.github.com/rest/repos/repos#list-attestations
func (c *Client) ListAttestations(ctx context.Context, digest, predicateType string) ([]publish.StoredAttestation, error) {
	path := c.repoPath("attestations/%s?per_page=100", url.PathEscape(digest))
	if predicateType != "" {
		path += "&predicate_type=" + url.QueryEscape(predicateType)
	}
	var out struct {
		Attestations []publish.StoredAttestation `json:"attestations"`
	}
	if _, err := c.do(ctx, http.MethodGet, path, nil, &out, true); err != nil {
		return nil, err
	}
	if err := pageFits("attestations of "+digest, "attestations", len(out.Attestations), 100); err != nil {
		return nil, err
	}
	return out.Attestations, nil
}
