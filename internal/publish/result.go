package publish

import (
	"slices"
	"sort"
	"strings"
)

// Action is what happened to an asset, as the assets output and the step summary
// say it: the past tense of the plan's Op that got it there (see Op.Action), or
// in a dry run what would happen (Op.Intent).
type Action string

// The actions, one per Op.
const (
	ActionUploaded Action = "uploaded" // new name on the release
	ActionReplaced Action = "replaced" // an asset of that name existed with other content, or broken
	ActionKept     Action = "kept"     // an asset of that name already held the same content
	ActionDeleted  Action = "deleted"  // removed by delete_other_assets, or a leftover
)

// The intentions of a dry run, one per Op (see Op.Intent): what a real run would
// do. A dry run's assets output carries only these, so that no consumer reading
// "uploaded" can mistake a plan for something done.
const (
	ActionWouldUpload  Action = "would_upload"
	ActionWouldReplace Action = "would_replace"
	ActionWouldKeep    Action = "would_keep"
	ActionWouldDelete  Action = "would_delete"
)

// DryRun reports whether a is a dry run's intention rather than something done.
func (a Action) DryRun() bool { return strings.HasPrefix(string(a), "would_") }

// AssetReport is one entry of the assets output. Field names are the public contract.
type AssetReport struct {
	Name               string `json:"name"`
	Label              string `json:"label"`
	ID                 int64  `json:"id"`
	URL                string `json:"url"`
	BrowserDownloadURL string `json:"browser_download_url"`
	Size               int64  `json:"size"`
	Digest             string `json:"digest"`
	State              string `json:"state"`
	ContentType        string `json:"content_type"`
	Action             Action `json:"action"`
	// Attestation is set for an asset attested (attest: true): the bundle
	// beside it, and the attestation this run stored, if it stored one.
	Attestation *AttestationReport `json:"attestation,omitempty"`
}

// Result is what a run did; the caller turns it into outputs and a step summary.
type Result struct {
	Release   *Release // nil only in a dry run for a release that does not exist yet
	Tag       string
	Created   bool // this run created the release
	Published bool // this run turned a draft into a published release
	Changed   bool // this run changed the release or its assets in any way
	DryRun    bool
	Assets    []AssetReport // sorted by name
	Plan      []Step        // the asset plan of a dry run
	Warnings  []string
	// Pruned are the channel's releases prune_tags deleted (in a dry run:
	// would delete), oldest first (prune.go).
	Pruned []PrunedRelease
	// TagNote says what move_tag did: the tag moved, or the run was older than
	// the tag and changed nothing. "" when move_tag did nothing.
	TagNote string
	// LatestNote says what make_latest: semver chose and why (latest.go); ""
	// when make_latest is not semver.
	LatestNote string
	// NotesNote says what notes_mode decided for the release's notes
	// (notesmode.go); "" under replace outside a dry run, or without notes.
	NotesNote string
	// PreviousTagNote says which tag previous_tag_prefix chose for the
	// generated notes to start from, and why (prevtag.go); "" without it.
	PreviousTagNote string
	// Notes is, in a dry run, the body a real run would write; nil when it
	// would leave the body as it is.
	Notes *string
	// Waiting are the expected_assets entries the draft did not hold yet, so
	// this run left it unpublished for the job that completes it (complete.go).
	Waiting []string
	// Verified are the assets checked after publishing (verify.go).
	Verified []VerifiedAsset
	// ReleaseAttested is set when GitHub's release attestation of the
	// published, immutable release was found to cover its assets
	// (releaseattest.go).
	ReleaseAttested bool
}

// runState is what a run has done so far. The run's decisions read it (created
// decides what a failure cleans up); nothing outside the run sees it until
// result copies it into the Result.
type runState struct {
	release         *Release // the release as the run last saw it; nil before one is found or made
	created         bool     // this run created release: a failure removes it (cleanup.go)
	published       bool     // this run turned the draft into a published release
	changed         bool     // set by each write to the release; settled with created, published and the assets at the end
	reports         []AssetReport
	planned         []Step // a dry run's asset plan
	warnings        []string
	pruned          []PrunedRelease
	tagNote         string
	latestNote      string
	waiting         []string
	verified        []VerifiedAsset
	releaseAttested bool
	notesNote       string
	previousTagNote string
	dryNotes        *string // what a dry run would write
}

// result builds the Result from the run's state: once, when Run returns, a
// failed run's too. Its lists are copies of the state's. The job's warnings
// come first, as the caller logged them first.
func (r *run) result() *Result {
	s := &r.runState
	var rel *Release
	if s.release != nil {
		c := *s.release
		rel = &c
	}
	return &Result{
		Release:         rel,
		Tag:             r.j.Tag,
		Created:         s.created,
		Published:       s.published,
		Changed:         s.changed,
		DryRun:          r.j.DryRun,
		Assets:          slices.Clone(s.reports),
		Plan:            slices.Clone(s.planned),
		Warnings:        slices.Concat(r.j.Warnings, s.warnings),
		Pruned:          slices.Clone(s.pruned),
		TagNote:         s.tagNote,
		LatestNote:      s.latestNote,
		Waiting:         slices.Clone(s.waiting),
		Verified:        slices.Clone(s.verified),
		ReleaseAttested: s.releaseAttested,
		NotesNote:       s.notesNote,
		PreviousTagNote: s.previousTagNote,
		Notes:           s.dryNotes,
	}
}

// report turns outcomes into the assets output.
func (r *run) report(outs []outcome) {
	for _, o := range outs {
		rep := AssetReport{Name: o.step.Name, Label: o.step.Label, Action: o.action}
		if l := o.step.Local; l != nil {
			rep.Size, rep.ContentType = l.Size, l.ContentType
			if l.SHA256 != "" {
				rep.Digest = "sha256:" + l.SHA256
			}
		}
		if a := o.asset; a != nil {
			rep.Name, rep.Label, rep.ID, rep.URL, rep.BrowserDownloadURL = a.Name, a.Label, a.ID, a.URL, a.BrowserDownloadURL
			rep.Size, rep.Digest, rep.State, rep.ContentType = a.Size, a.Digest, a.State, a.ContentType
		}
		if a, ok := r.attested[rep.Name]; ok && !o.action.DryRun() && o.action != ActionDeleted {
			rep.Attestation = &a
		}
		r.reports = append(r.reports, rep)
	}
	sort.Slice(r.reports, func(i, k int) bool {
		a, b := r.reports[i], r.reports[k]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Action < b.Action
	})
}
