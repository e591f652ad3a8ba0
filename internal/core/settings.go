package core

import "time"

// Settings are the validated inputs that the publisher uses as they are, with
// no local check in between. inputs.Config and publish.Job both embed them, so such an
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
	// that are PreviousTagPrefix followed by a version (publish/prevtag.go);
	// the prefix may be "" (tags that are versions alone).
	PreviousTagByPrefix bool
	PreviousTagPrefix   string
	// NotesMode is what happens to an existing release's notes (notes_mode):
	// NotesReplace, NotesKeep, NotesPrepend or NotesAppend (publish/notesmode.go).
	NotesMode string
	// NotesCategories regroups the generated notes' pull requests by the
	// Conventional-Commit type of their titles (notes_categories), in this
	// order; nil leaves GitHub's grouping (publish/categories.go).
	NotesCategories []NoteCategory
	// NotesPaths limits the generated notes to the pull requests whose
	// commits change a file matching one of these doublestar patterns
	// (notes_paths); nil lists them all (publish/notespaths.go).
	NotesPaths []string

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

	// Verify is what is checked after publishing (publish/verify.go):
	// VerifyOff, VerifyRelease or VerifyDownload.
	Verify string

	// Attest (attest: true) signs build provenance for every asset the run
	// uploads and attaches each bundle beside its asset before publishing.
	Attest bool

	// HourWindowStop (hour_window: stop) makes a run whose writes do not fit in
	// GitHub's hour window stop when it is full, leaving the draft; otherwise
	// the run waits for room, HourMaxWait at most in all (publish/hour.go).
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

// The values of move_tag.
const (
	MoveTagOff   = ""      // move_tag: false (the default): an existing tag stays where it is
	MoveTagOn    = "true"  // only forward: the run's commit must descend from the tag's
	MoveTagForce = "force" // also sideways, to a commit that does not descend from the tag's
)

// Values of the verify input.
const (
	VerifyOff      = ""         // nothing is read back after publishing
	VerifyRelease  = "true"     // read back; GitHub's release attestation checked when immutable
	VerifyDownload = "download" // VerifyRelease, and every asset downloaded anonymously and hashed
)
