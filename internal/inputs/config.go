// Package inputs turns the action's environment (INPUT_* and GITHUB_* variables) into a
// validated Config. Parsing is pure: it reads only the getenv function it is given and
// touches no file and no network, so every problem is reported before GitHub is called.
package inputs

import "time"

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
	Settings

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

	Files            []Pattern
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
	Words       Vocabulary
	OutputPath  string
	SummaryPath string
}

// Settings are the validated inputs that the publisher uses as they are, with
// no local check in between. Config and publish.Job both embed them, so such an
// input is declared once and copied by nobody.
type Settings struct {
	Tag             string
	TargetCommitish string // as given; "" = SHA when set, else the default branch
	SHA             string // GITHUB_SHA: the commit the workflow built; "" outside a workflow
	MoveTag         string // MoveTagOff, MoveTagOn or MoveTagForce
	BodyFromTag     bool   // the annotated tag's message becomes part of the body
	Name            string // "" = default to the tag on create, unchanged on update

	GenerateNotes bool
	PreviousTag   string
	NotesConfig   string
	// PreviousTagByPrefix (previous_tag_prefix) makes the previous tag for
	// generated notes the highest SemVer tag below this one among the tags
	// that are PreviousTagPrefix followed by a version (prevtag.go); the
	// prefix may be "" (tags that are versions alone).
	PreviousTagByPrefix bool
	PreviousTagPrefix   string
	// NotesMode is what happens to an existing release's notes (notes_mode):
	// NotesReplace, NotesKeep, NotesPrepend or NotesAppend (notesmode.go).
	NotesMode string

	Draft              bool
	Prerelease         *bool  // nil = unchanged on update, false on create
	PrereleaseAuto     bool   // Prerelease came from the tag (prerelease: auto)
	MakeLatest         string // "", "true", "false", "legacy" or "semver" (decided by the publisher)
	DiscussionCategory string

	Overwrite   bool
	DeleteOther bool
	MaxParallel int
	Checksums   string // asset name for the checksum list; "" = none
	DryRun      bool

	// PruneTags is the glob of the release's channel (prune_tags); after a
	// publish, all but the newest KeepLatest published releases whose tags
	// match it are deleted. "" = no pruning; then KeepLatest is 0.
	PruneTags  string
	KeepLatest int

	// Verify is what is checked after publishing (complete.go): VerifyOff or
	// VerifyDownload.
	Verify string

	// Attest (attest: true) signs build provenance for every asset the run
	// uploads and attaches each bundle beside its asset before publishing.
	Attest bool

	// HourWindowStop (hour_window: stop) makes a run whose writes do not fit in
	// GitHub's hour window stop when it is full, leaving the draft; otherwise
	// the run waits for room, HourMaxWait at most in all (hour.go).
	HourWindowStop bool
	HourMaxWait    time.Duration

	// PruneAssets is a glob of asset names (prune_assets): when the release
	// would pass GitHub's 1,000-asset cap, its oldest matching assets are
	// deleted first, as many as the cap needs. "" = never.
	PruneAssets string

	// Runner tells this run apart from other runs that may work on the same
	// release at the same moment (matrix jobs, a re-run started early).
	Runner RunIdentity
}

// RunIdentity is what the runner says about the run: GITHUB_RUN_ID,
// GITHUB_RUN_ATTEMPT and GITHUB_JOB. Matrix jobs share all three, so a run
// adds a random nonce of its own wherever it must be told apart; the attempt
// orders the runs of one workflow run, since a re-run starts only once every
// job of the previous attempt has ended. Zero values: unknown (a terminal).
// https://docs.github.com/en/actions/reference/workflows-and-actions/variables
type RunIdentity struct {
	ID      int64
	Attempt int
	Job     string
}

// Pattern is one entry of the files input.
type Pattern struct {
	Glob    string // doublestar pattern, "!" removed
	Exclude bool   // the entry started with "!"
	Label   string // from "path#label"; "" when none
	Name    string // from "path => name": the asset's name; "" = the file's own
}
