package attest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// audience is what Fulcio demands in the token.
const audience = "sigstore"

// TokenSource is the runner's token service: the URL and bearer the runner
// hands a job with "permissions: id-token: write"
// (ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN).
type TokenSource struct {
	URL    string
	Bearer string
}

// fetchToken asks the runner for an OIDC token for Fulcio. The bearer goes to
// the token service's URL only: redirects are refused by the transport.
func fetchToken(ctx context.Context, hc *http.Client, src TokenSource) (string, error) {
	u, err := url.Parse(src.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("the token service URL is not an http(s) URL")
	}
	q := u.Query()
	q.Set("audience", audience)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+src.Bearer)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("get an OIDC token: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("get an OIDC token: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("get an OIDC token: the token service answered %d", resp.StatusCode)
	}
	var out struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Value == "" {
		return "", fmt.Errorf("get an OIDC token: the answer holds no token")
	}
	return out.Value, nil
}
