package emulator

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Workflow is the job the emulator's runner token service speaks for: the
// identity in the OIDC tokens it issues, hence in the certificates Fulcio
// issues for them. Every field has a default (Server.Workflow fills them).
type Workflow struct {
	Repository   string // "owner/name"; default: the first repository added
	RepositoryID int64  // default: a number derived from the name
	OwnerID      int64  // default: a number derived from the owner
	Visibility   string // repository_visibility: "public" (default), "private" or "internal"
	Name         string // the workflow's name; default "Release"
	Path         string // the workflow file; default ".github/workflows/release.yml"
	Ref          string // default "refs/tags/v1.0.0"
	// SHA is the commit built; default: the commit of the tag Ref names, else
	// the default branch's head.
	SHA               string
	EventName         string // default "push"
	RunID             int64  // default 1
	RunNumber         int64  // default 1
	RunAttempt        int64  // default 1
	RunnerEnvironment string // "github-hosted" (default) or "self-hosted"
	// RequestToken is ACTIONS_ID_TOKEN_REQUEST_TOKEN, the bearer the token
	// service accepts; default "emulator-id-token-request".
	RequestToken string
}

// DefaultRequestToken is Workflow.RequestToken's default.
const DefaultRequestToken = "emulator-id-token-request"

// Workflow returns Options.Workflow with its defaults filled in, as the token
// service uses it now (the default SHA follows the tag Ref names).
func (s *Server) Workflow() Workflow {
	s.mu.Lock()
	w := s.opts.Workflow
	if w.Repository == "" {
		w.Repository = s.firstRepo
	}
	if w.Repository == "" {
		w.Repository = "octo/demo"
	}
	w.RepositoryID, w.OwnerID = s.databaseIDs(w.Repository)
	s.mu.Unlock()
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&w.Visibility, "public")
	def(&w.Name, "Release")
	def(&w.Path, ".github/workflows/release.yml")
	def(&w.Ref, "refs/tags/v1.0.0")
	def(&w.EventName, "push")
	def(&w.RunnerEnvironment, "github-hosted")
	def(&w.RequestToken, DefaultRequestToken)
	for _, p := range []*int64{&w.RunID, &w.RunNumber, &w.RunAttempt} {
		if *p == 0 {
			*p = 1
		}
	}
	if w.SHA == "" {
		if tag, ok := strings.CutPrefix(w.Ref, "refs/tags/"); ok {
			w.SHA, _ = s.git.TagCommit(w.Repository, tag)
		}
	}
	if w.SHA == "" {
		w.SHA, _ = s.git.BranchHead(w.Repository, s.git.DefaultBranch(w.Repository))
	}
	return w
}

// databaseIDs are the repository's and its owner's IDs, the same in tokens,
// certificates, release attestations and the attestations API: the
// workflow's when set for this repository, else derived from the names. It
// must hold s.mu.
func (s *Server) databaseIDs(fullName string) (repoID, ownerID int64) {
	owner, _, _ := strings.Cut(fullName, "/")
	repoID, ownerID = nameID(strings.ToLower(fullName)), nameID(strings.ToLower(owner))
	w := s.opts.Workflow
	if w.Repository == "" {
		w.Repository = s.firstRepo
	}
	if strings.EqualFold(w.Repository, fullName) {
		if w.RepositoryID != 0 {
			repoID = w.RepositoryID
		}
		if w.OwnerID != 0 {
			ownerID = w.OwnerID
		}
	}
	return repoID, ownerID
}

// nameID is a stable positive database ID for a name (GitHub's IDs are
// opaque numbers; these only need to differ and stay put).
func nameID(name string) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return int64(h.Sum32()%900_000_000) + 100_000_000
}

// WorkflowRef is owner/repo/PATH@REF, the workflow_ref and job_workflow_ref claims.
func (w Workflow) WorkflowRef() string { return w.Repository + "/" + w.Path + "@" + w.Ref }

// Env is the runner's environment for this job, as the action reads it, with
// ACTIONS_ID_TOKEN_REQUEST_URL on the server reached at origin.
func (w Workflow) Env(origin string) map[string]string {
	owner, _, _ := strings.Cut(w.Repository, "/")
	return map[string]string{
		"GITHUB_REPOSITORY":              w.Repository,
		"GITHUB_REPOSITORY_ID":           strconv.FormatInt(w.RepositoryID, 10),
		"GITHUB_REPOSITORY_OWNER":        owner,
		"GITHUB_REPOSITORY_OWNER_ID":     strconv.FormatInt(w.OwnerID, 10),
		"GITHUB_WORKFLOW":                w.Name,
		"GITHUB_WORKFLOW_REF":            w.WorkflowRef(),
		"GITHUB_WORKFLOW_SHA":            w.SHA,
		"GITHUB_SHA":                     w.SHA,
		"GITHUB_REF":                     w.Ref,
		"GITHUB_RUN_ID":                  strconv.FormatInt(w.RunID, 10),
		"GITHUB_RUN_NUMBER":              strconv.FormatInt(w.RunNumber, 10),
		"GITHUB_RUN_ATTEMPT":             strconv.FormatInt(w.RunAttempt, 10),
		"GITHUB_EVENT_NAME":              w.EventName,
		"RUNNER_ENVIRONMENT":             w.RunnerEnvironment,
		"ACTIONS_ID_TOKEN_REQUEST_URL":   strings.TrimRight(origin, "/") + TokenPath + "?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": w.RequestToken,
	}
}

// githubClaims are the claims GitHub puts in a job's OIDC token besides the
// registered ones.
// https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#understanding-the-oidc-token
type githubClaims struct {
	Ref                  string `json:"ref"`
	RefType              string `json:"ref_type"`
	SHA                  string `json:"sha"`
	Repository           string `json:"repository"`
	RepositoryID         string `json:"repository_id"`
	RepositoryOwner      string `json:"repository_owner"`
	RepositoryOwnerID    string `json:"repository_owner_id"`
	RepositoryVisibility string `json:"repository_visibility"`
	Actor                string `json:"actor"`
	ActorID              string `json:"actor_id"`
	Workflow             string `json:"workflow"`
	WorkflowRef          string `json:"workflow_ref"`
	WorkflowSHA          string `json:"workflow_sha"`
	JobWorkflowRef       string `json:"job_workflow_ref"`
	JobWorkflowSHA       string `json:"job_workflow_sha"`
	EventName            string `json:"event_name"`
	RunID                string `json:"run_id"`
	RunNumber            string `json:"run_number"`
	RunAttempt           string `json:"run_attempt"`
	RunnerEnvironment    string `json:"runner_environment"`
}

func (w Workflow) claims() githubClaims {
	owner, _, _ := strings.Cut(w.Repository, "/")
	refType := "branch"
	if strings.HasPrefix(w.Ref, "refs/tags/") {
		refType = "tag"
	}
	return githubClaims{
		Ref: w.Ref, RefType: refType, SHA: w.SHA,
		Repository: w.Repository, RepositoryID: strconv.FormatInt(w.RepositoryID, 10),
		RepositoryOwner: owner, RepositoryOwnerID: strconv.FormatInt(w.OwnerID, 10),
		RepositoryVisibility: w.Visibility,
		Actor:                owner, ActorID: strconv.FormatInt(w.OwnerID, 10),
		Workflow: w.Name, WorkflowRef: w.WorkflowRef(), WorkflowSHA: w.SHA,
		JobWorkflowRef: w.WorkflowRef(), JobWorkflowSHA: w.SHA,
		EventName: w.EventName,
		RunID:     strconv.FormatInt(w.RunID, 10), RunNumber: strconv.FormatInt(w.RunNumber, 10),
		RunAttempt:        strconv.FormatInt(w.RunAttempt, 10),
		RunnerEnvironment: w.RunnerEnvironment,
	}
}

// tokenLifetime is how long a job's OIDC token is valid (GitHub: 5 minutes).
const tokenLifetime = 5 * time.Minute

// IDToken signs the job's OIDC token for audience, issued at iat, as the
// token service does (a test makes an expired one with an old iat).
func (s *Server) IDToken(audience string, iat time.Time) (string, error) {
	w := s.Workflow()
	k := s.sigstore()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k.oidcKey},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", k.oidcKID))
	if err != nil {
		return "", err
	}
	std := jwt.Claims{
		Issuer:    OIDCIssuer,
		Subject:   "repo:" + w.Repository + ":ref:" + w.Ref,
		Audience:  jwt.Audience{audience},
		IssuedAt:  jwt.NewNumericDate(iat),
		NotBefore: jwt.NewNumericDate(iat),
		Expiry:    jwt.NewNumericDate(iat.Add(tokenLifetime)),
		ID:        randomHex(16),
	}
	return jwt.Signed(signer).Claims(std).Claims(w.claims()).Serialize()
}

// idToken serves GET /_services/token: the job's OIDC token for ?audience=,
// to a bearer of the workflow's request token.
func (s *Server) idToken(w http.ResponseWriter, r *http.Request, rt route) {
	want := s.Workflow().RequestToken
	scheme, cred, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !strings.EqualFold(scheme, "bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(cred)), []byte(want)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized: the request token is missing or wrong"})
		return
	}
	aud := r.URL.Query().Get("audience")
	if aud == "" {
		aud = IdentityServer + "/" + strings.SplitN(s.Workflow().Repository, "/", 2)[0] // GitHub's default audience: the owner's URL
	}
	tok, err := s.IDToken(aud, time.Now())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(tok), "value": tok})
}

// verifiedToken is an OIDC token that passed verifyToken.
type verifiedToken struct {
	std jwt.Claims
	gh  githubClaims
}

var errToken = errors.New("There was an error processing the identity token")

// verifyToken checks a token as Fulcio does for GitHub's issuer: signed by the
// emulator's OIDC key, issuer, audience, not expired.
func (k *sigstoreKeys) verifyToken(raw, audience string, now time.Time) (verifiedToken, error) {
	var v verifiedToken
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return v, fmt.Errorf("%w: %v", errToken, err)
	}
	if err := tok.Claims(&k.oidcKey.PublicKey, &v.std, &v.gh); err != nil {
		return v, fmt.Errorf("%w: %v", errToken, err)
	}
	if err := v.std.ValidateWithLeeway(jwt.Expected{Issuer: OIDCIssuer, AnyAudience: jwt.Audience{audience}, Time: now}, 0); err != nil {
		return v, fmt.Errorf("%w: %v", errToken, err)
	}
	if v.std.Subject == "" || v.gh.Repository == "" || v.gh.JobWorkflowRef == "" {
		return v, fmt.Errorf("%w: the token lacks GitHub's claims", errToken)
	}
	return v, nil
}
