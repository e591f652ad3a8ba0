// Package inputs turns the action's environment (INPUT_* and GITHUB_* variables) into a
// validated Config. Parsing is pure: it reads only the getenv function it is given and
// touches no file and no network, so every problem is reported before GitHub is called.
package inputs

import (
	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/core"
)

// Config is the action's validated configuration.
type Config struct {
	Token string // never printed; masked by the caller
	// TokenSource names where Token came from, for the message of a 401:
	// `input "token"` (INPUT_TOKEN in a terminal), "GITHUB_TOKEN" or "GH_TOKEN".
	TokenSource string
	// Secrets are the raw values of every variable a token may arrive under
	// (INPUT_TOKEN, GITHUB_TOKEN, GH_TOKEN), and the OIDC token service's bearer
	// (ACTIONS_ID_TOKEN_REQUEST_TOKEN), valid or not, for the caller to mask
	// before anything is printed.
	Secrets []string

	Owner, Repo string

	// Settings reach the publisher's job as they are (publish.Job embeds them):
	// an input that needs nothing from the disk belongs there.
	core.Settings

	Body     string
	BodyPath string // "" when not given, as the user wrote it (for messages)
	BodyFile string // BodyPath resolved against GITHUB_WORKSPACE; read by the caller, not by Parse

	ChangelogPath string // body_from_changelog as the user wrote it (for messages); "" = none
	ChangelogFile string // ChangelogPath resolved against GITHUB_WORKSPACE; read by the caller

	// Attestation is what attest: true needs (attest.go).
	Attestation Attestation

	// ExpectedAssets are the expected_assets entries as given (names or
	// patterns); internal/app checks them against GitHub's naming.
	ExpectedAssets []string

	Files            []assets.Pattern
	WorkingDirectory string // absolute or relative to the process's directory; never ""
	FailOnUnmatched  bool
	// FollowSymlinks lets a matched link resolve outside WorkingDirectory
	// (never under /proc, /sys or /dev).
	FollowSymlinks bool

	// Where GitHub is. APIURL always ends without a slash: "https://api.github.com",
	// "https://ghes.example.com/api/v3", "https://api.acme.ghe.com".
	APIURL    string
	UploadURL string // "https://uploads.github.com", ".../api/uploads", "https://uploads.acme.ghe.com"
	ServerURL string // "https://github.com"

	// The runner's files. In a workflow (GITHUB_ACTIONS=true) OutputPath is required.
	InActions bool
	Debug     bool // RUNNER_DEBUG=1: show debug lines outside a workflow too
	// NoColor is NO_COLOR set and not empty (https://no-color.org): progress
	// bars are drawn without colour.
	NoColor bool
	// DumbTerminal is TERM=dumb: the output cannot move its cursor, so progress
	// is shown as lines.
	DumbTerminal bool
	// Words names the inputs in messages: inputs in a workflow, flags elsewhere.
	Words       core.Vocabulary
	OutputPath  string
	SummaryPath string
}
