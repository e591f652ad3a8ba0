package attest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Claims are the parts of the job's OIDC token the provenance is built from.
// Fulcio verifies the token; this package only reads it, and checks that it
// names the repository the run publishes to.
// https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
type Claims struct {
	Issuer            string `json:"iss"`
	Repository        string `json:"repository"`
	RepositoryID      string `json:"repository_id"`
	RepositoryOwnerID string `json:"repository_owner_id"`
	WorkflowRef       string `json:"workflow_ref"`
	JobWorkflowRef    string `json:"job_workflow_ref"`
	Ref               string `json:"ref"`
	SHA               string `json:"sha"`
	EventName         string `json:"event_name"`
	RunnerEnvironment string `json:"runner_environment"`
	RunID             string `json:"run_id"`
	RunAttempt        string `json:"run_attempt"`
}

// parseClaims reads the payload of a JWT without verifying it, and checks that
// every claim the provenance needs is there.
func parseClaims(token string) (*Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("the OIDC token is not a JWT (%d parts)", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("the OIDC token's payload is not base64url: %w", err)
	}
	var c Claims
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("the OIDC token's payload is not JSON claims: %w", err)
	}
	var missing []string
	for name, v := range map[string]string{
		"iss": c.Issuer, "repository": c.Repository, "repository_id": c.RepositoryID,
		"repository_owner_id": c.RepositoryOwnerID, "workflow_ref": c.WorkflowRef,
		"job_workflow_ref": c.JobWorkflowRef, "ref": c.Ref, "sha": c.SHA, "event_name": c.EventName,
		"runner_environment": c.RunnerEnvironment, "run_id": c.RunID, "run_attempt": c.RunAttempt,
	} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sortStrings(missing)
		return nil, fmt.Errorf("the OIDC token lacks the claims %s", strings.Join(missing, ", "))
	}
	return &c, nil
}
