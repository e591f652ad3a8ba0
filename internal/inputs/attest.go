package inputs

import (
	"encoding/json"
	"io"
	"os"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// Values of the sigstore input other than a signing config's path.
const (
	SigstoreAuto       = "auto"        // by the repository's visibility
	SigstorePublicGood = "public-good" // Sigstore's public-good instance
	SigstoreGitHub     = "github"      // GitHub's own instance
)

// Attestation is what attest: true needs from the runner.
type Attestation struct {
	// Sigstore is SigstorePublicGood, SigstoreGitHub, or the path of a
	// Sigstore signing config (resolved against GITHUB_WORKSPACE); read by
	// internal/app.
	Sigstore string
	// TokenURL and TokenBearer reach the runner's OIDC token service
	// (ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN); the
	// bearer is a secret, masked like the token.
	TokenURL    string
	TokenBearer string
	// TrustedRoot is the path of a Sigstore trusted root (trusted_root.json),
	// resolved against GITHUB_WORKSPACE; "" = none. Read by internal/app.
	TrustedRoot string
}

// maxEventBytes caps the event payload read for the repository's visibility;
// GitHub caps webhook payloads at 25 MB.
const maxEventBytes = 25 << 20

// attestation reads attest and sigstore. A job without "permissions:
// id-token: write" has no token service; that is found here, before any
// request, with the block to add.
func (p *parser) attestation(c *Config) {
	c.Attest = p.boolean("attest", false)
	c.Attestation.TrustedRoot = p.workspacePath(p.input("trusted_root"))
	if c.Attestation.TrustedRoot != "" && !c.Attest && c.Verify == core.VerifyOff {
		p.fail("%s checks signatures for %s or %s; set one of them, or leave it unset", p.words.Input("trusted_root"), p.words.Set("attest", "true"), p.words.Set("verify", "true"))
	}
	given := p.input("sigstore")
	if !c.Attest {
		if given != "" && !strings.EqualFold(given, SigstoreAuto) {
			p.fail("%s is only used with %s", p.words.Input("sigstore"), p.words.Set("attest", "true"))
		}
		return
	}
	c.Attestation.TokenURL = strings.TrimSpace(p.env("ACTIONS_ID_TOKEN_REQUEST_URL"))
	c.Attestation.TokenBearer = strings.TrimSpace(p.env("ACTIONS_ID_TOKEN_REQUEST_TOKEN"))
	if (c.Attestation.TokenURL == "" || c.Attestation.TokenBearer == "") && !c.DryRun {
		if p.words.Flags {
			p.fail("%s needs an OIDC token for Sigstore, and ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not both set; "+
				"in a workflow the runner sets them, from a terminal export them (go run ./cmd/emulator prints them for its own token service)", p.words.Set("attest", "true"))
		} else {
			p.fail("%s needs the job's OIDC token, and the runner gave none: the job lacks \"id-token: write\"; add to the job (or the workflow):\n%s",
				p.words.InputSet("attest", "true"), permissionsBlock)
		}
	}
	switch v := strings.ToLower(given); v {
	case "", SigstoreAuto:
		switch vis := p.visibility(); vis {
		case "public":
			c.Attestation.Sigstore = SigstorePublicGood
		case "private", "internal":
			c.Attestation.Sigstore = SigstoreGitHub
		default:
			if c.DryRun {
				break // a dry run signs nothing; a real run says this before any change
			}
			p.fail("%s picks Sigstore's instance by the repository's visibility, which the event payload (GITHUB_EVENT_PATH) does not give; set %s to %s (public repositories) or %s (private and internal ones, on GitHub Enterprise Cloud), or to the path of a Sigstore signing config",
				p.words.InputSet("sigstore", SigstoreAuto), p.words.Ref("sigstore"), SigstorePublicGood, SigstoreGitHub)
		}
	case SigstorePublicGood, SigstoreGitHub:
		c.Attestation.Sigstore = v
	default:
		c.Attestation.Sigstore = p.workspacePath(given)
	}
}

// permissionsBlock is what a job needs for attest: true.
const permissionsBlock = `    permissions:
      contents: write      # the release and its assets
      id-token: write      # the OIDC token Sigstore certifies
      attestations: write  # store the attestations with GitHub`

// visibility is repository.visibility from the event payload, "" when the
// payload is missing, unreadable, or does not say.
func (p *parser) visibility() string {
	path := p.env("GITHUB_EVENT_PATH")
	if path == "" {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var ev struct {
		Repository struct {
			Visibility string `json:"visibility"`
			Private    *bool  `json:"private"`
		} `json:"repository"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxEventBytes)).Decode(&ev); err != nil {
		return ""
	}
	if v := strings.ToLower(ev.Repository.Visibility); v != "" {
		return v
	}
	if ev.Repository.Private != nil {
		if *ev.Repository.Private {
			return "private"
		}
		return "public"
	}
	return ""
}
