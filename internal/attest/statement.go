package attest

import (
	"fmt"
	"slices"
	"strings"

	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	// PredicateSLSA is the predicate type of build provenance.
	PredicateSLSA = "https://slsa.dev/provenance/v1"
	// buildTypeWorkflow is GitHub Actions' build type for SLSA provenance.
	// https://github.com/slsa-framework/github-actions-buildtypes/tree/main/workflow/v1
	buildTypeWorkflow = "https://actions.github.io/buildtypes/workflow/v1"
	// PayloadType is the DSSE payload type of an in-toto statement.
	PayloadType = "application/vnd.in-toto+json"
)

// Subject is one artifact a statement speaks for: the asset's name on the
// release and the sha256 of its bytes (hex).
type Subject struct {
	Name   string
	SHA256 string
}

// provenance is the SLSA v1 predicate for a GitHub Actions workflow run, built
// from the OIDC token's claims so that it says what the certificate says.
func provenance(serverURL string, c *Claims) map[string]any {
	repoURL := serverURL + "/" + c.Repository
	// "owner/repo/.github/workflows/release.yml@refs/tags/v1" → ".github/workflows/release.yml"
	path, _, _ := strings.Cut(strings.TrimPrefix(c.WorkflowRef, c.Repository+"/"), "@")
	return map[string]any{
		"buildDefinition": map[string]any{
			"buildType": buildTypeWorkflow,
			"externalParameters": map[string]any{
				"workflow": map[string]any{"ref": c.Ref, "repository": repoURL, "path": path},
			},
			"internalParameters": map[string]any{
				"github": map[string]any{
					"event_name":          c.EventName,
					"repository_id":       c.RepositoryID,
					"repository_owner_id": c.RepositoryOwnerID,
					"runner_environment":  c.RunnerEnvironment,
				},
			},
			"resolvedDependencies": []any{
				map[string]any{"uri": "git+" + repoURL + "@" + c.Ref, "digest": map[string]any{"gitCommit": c.SHA}},
			},
		},
		"runDetails": map[string]any{
			"builder": map[string]any{"id": serverURL + "/" + c.JobWorkflowRef},
			"metadata": map[string]any{
				"invocationId": fmt.Sprintf("%s/actions/runs/%s/attempts/%s", repoURL, c.RunID, c.RunAttempt),
			},
		},
	}
}

// statement renders the in-toto statement (v1) of the subjects with the
// provenance predicate, as the JSON that is signed. Subjects are sorted by
// name, so the same set always gives the same statement.
func statement(subjects []Subject, predicate map[string]any) ([]byte, error) {
	if len(subjects) == 0 {
		return nil, fmt.Errorf("no subjects to attest")
	}
	subs := slices.Clone(subjects)
	slices.SortFunc(subs, func(a, b Subject) int { return strings.Compare(a.Name, b.Name) })
	pred, err := structpb.NewStruct(predicate)
	if err != nil {
		return nil, fmt.Errorf("provenance predicate: %w", err)
	}
	st := &intoto.Statement{
		Type:          intoto.StatementTypeUri,
		PredicateType: PredicateSLSA,
		Predicate:     pred,
	}
	for _, s := range subs {
		if !isHexSHA256(s.SHA256) {
			return nil, fmt.Errorf("subject %s: %q is not a sha256 digest", s.Name, s.SHA256)
		}
		st.Subject = append(st.Subject, &intoto.ResourceDescriptor{Name: s.Name, Digest: map[string]string{"sha256": s.SHA256}})
	}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("in-toto statement: %w", err)
	}
	return protojson.Marshal(st)
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

func sortStrings(s []string) { slices.Sort(s) }
