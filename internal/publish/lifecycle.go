package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/releasekit/release-action/internal/retry"
)

// run is one Publisher.Run: the job, what has happened so far (runState, from
// which result builds the Result once, when Run returns), and the assets this
// run created (reported by the executor, for failure cleanup).
type run struct {
	p *Publisher
	j *Job
	runState
	uploaded map[int64]bool
	tag      tagState                     // the tag in git, read before any change (tagmove.go)
	own      owned                        // names this run started uploads under (cleanup.go)
	sent     ReleaseFields                // the create this run sent (landed.go)
	unsure   bool                         // a create was sent and whether it landed is unknown
	me       runTag                       // this run among concurrent ones (temps.go)
	tempDirs []string                     // of generated files, removed when Run ends (job.go)
	listed   []*Release                   // the run's last listing (find, create), reused by make_latest: semver (latest.go)
	attested map[string]AttestationReport // by asset name: what attest did for it (attest.go)
	notes    *composedNotes               // this run's notes, composed once (body.go)
}

// Run creates or updates the release for j.Tag and converges its assets. The
// release is built as a draft and published last. When Run fails after creating
// a draft, it deletes that draft again, unless other runs' assets are on it.
func (p *Publisher) Run(ctx context.Context, j *Job) (*Result, error) {
	r := &run{p: p, j: j, uploaded: map[int64]bool{}, me: newRunTag(j.Runner)}
	defer r.removeTempDirs()
	err := r.run(ctx)
	if err == nil {
		err = r.verify(ctx) // after the publish (verify.go)
	}
	if err == nil {
		err = r.prune(ctx) // after the publish, outside its cleanup (prune.go)
	}
	// A failed run's Result says how far it got.
	return r.result(), r.hourStopped(err) // a full hour window: where things stand (hour.go)
}

func (r *run) run(ctx context.Context) (err error) {
	log := r.p.Log
	// Before find, which may remove orphan drafts: nothing is written yet.
	if err := r.readImmutability(ctx); err != nil {
		return err
	}
	log.Group("Find the release for " + r.j.Tag)
	rel, err := r.find(ctx)
	log.EndGroup()
	if err != nil {
		return err
	}
	// The tag is read, and a stale or refused move found out, before any change.
	if stale, err := r.prepareTag(ctx, rel); err != nil || stale {
		return err
	}
	// The one asset plan of the run: the immutable check, the dry run and the
	// executor all read it, so the assets are listed (and hashed) once.
	plan, err := r.plan(ctx, rel, r.locals())
	if err != nil {
		return err
	}
	if err := r.preflight(rel, plan); err != nil {
		return err
	}
	r.logPrereleaseAuto() // latest.go
	if r.j.DryRun {
		return r.dryRun(ctx, rel, plan)
	}
	// An immutable release cannot take any asset change: find that out before
	// changing anything at all.
	if immutable(rel) {
		if err := r.checkImmutable(ctx, plan); err != nil {
			return err
		}
	}
	// The notes, after notes_mode: made and checked against GitHub's limit
	// before any change (notesmode.go).
	if err := r.checkNotes(ctx, rel); err != nil {
		return err
	}
	// Sign and store the provenance of what will be uploaded, still before
	// any change (attest.go).
	if plan, err = r.attestPlan(ctx, rel, plan); err != nil {
		return err
	}
	// From the create on, a failure (a cancel included) removes what this run
	// created: its draft, or its unfinished replacements' temporary copies.
	defer func() {
		// A full hour window stops the run cleanly: what it did stays for the
		// next run to continue from (hour.go).
		if err != nil && !errors.As(err, new(*retry.HourStop)) {
			r.cleanupAfter(ctx)
		}
	}()
	if rel == nil {
		log.Group("Create the release")
		rel, plan, err = r.createAndPlan(ctx, plan)
		log.EndGroup()
		if err != nil {
			return err
		}
	}
	r.release = rel
	return r.converge(ctx, rel, plan)
}

// createAndPlan creates the release. A draft of our own is new and empty, so the
// plan made before it (every file an upload) holds; a release another run made
// meanwhile has assets of its own, so its plan is made afresh.
func (r *run) createAndPlan(ctx context.Context, plan *assetPlan) (*Release, *assetPlan, error) {
	rel, err := r.create(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !r.created {
		// Another run's release: what to upload, and so what to attest, is
		// decided afresh.
		if plan, err = r.plan(ctx, rel, ownFiles(plan.local)); err == nil {
			plan, err = r.attestPlan(ctx, rel, plan)
		}
	}
	return rel, plan, err
}

// converge updates the release's fields, applies the asset plan, and publishes.
func (r *run) converge(ctx context.Context, rel *Release, plan *assetPlan) error {
	rel, err := r.update(ctx, rel)
	if err != nil {
		return err
	}
	r.release = rel

	r.p.Log.Group(fmt.Sprintf("Assets of %s (%d files)", r.j.Tag, len(plan.local)))
	err = r.assets(ctx, rel, plan)
	r.p.Log.EndGroup()
	if err != nil {
		return err
	}
	// The tag moves once every asset is in place, before a draft is published
	// (an immutable release would lock it).
	if err := r.moveTag(ctx); err != nil {
		return err
	}
	if rel.Draft && !r.j.Draft {
		return r.publishDraft(ctx, rel) // complete.go: read back, then publish
	}
	if rel, err = r.publish(ctx, rel); err != nil {
		return err
	}
	r.release = rel
	r.settleChanged()
	if !r.published && !r.assetsChanged() {
		return nil // nothing done to the assets: the plan's listing is the truth
	}
	// Read the assets back once: the published release's download URLs differ
	// from the draft's ("untagged-…"), and another run may have changed an
	// asset since this run put it there.
	list, err := r.p.GH.ListAssets(ctx, rel.ID)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("release %d for %s is gone: another run deleted it after this run changed it (run again to publish it): %w", rel.ID, r.j.Tag, errConflict)
	}
	if err != nil {
		r.warn("could not read the assets back after the run (their URLs may name the draft, and what is on the release was not confirmed): %v", err)
		return nil
	}
	return r.confirm(list)
}

// assetsChanged reports whether the run changed any asset.
func (r *run) assetsChanged() bool {
	for _, a := range r.reports {
		if a.Action != ActionKept {
			return true
		}
	}
	return false
}

// immutable reports whether rel exists and can never change its assets.
func immutable(rel *Release) bool { return rel != nil && rel.Immutable && !rel.Draft }

// confirm checks the assets read back at the end of the run against what the
// run reports (compare), and takes their final URLs: another run may have
// replaced or deleted one since, and then the run fails and says so rather
// than report what is no longer true.
func (r *run) confirm(list []*Asset) error {
	lost := r.compare(list)
	if len(lost) == 0 {
		return nil
	}
	return fmt.Errorf("after this run, release %s does not hold what the run put there: %s; another run changed it at the same time (run again to converge): %w",
		r.j.Tag, strings.Join(lost, "; "), errConflict)
}

// find returns the release for the tag: the published one if there is one,
// otherwise the draft chosen by pickDraft, otherwise nil.
func (r *run) find(ctx context.Context) (*Release, error) {
	gh, log := r.p.GH, r.p.Log
	rel, err := gh.ReleaseByTag(ctx, r.j.Tag)
	if err == nil {
		log.Infof("found published release %d for %s", rel.ID, r.j.Tag)
		r.sweepIfRerun(ctx, rel)
		return rel, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("look up release %s: %w", r.j.Tag, err)
	}
	// get-by-tag never returns drafts; only a listing shows them.
	all, err := gh.ListReleases(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("repository %s does not exist, or the token cannot see it (%s): %w", r.j.Repository, r.j.Words.Input("repository"), err)
	}
	if err != nil {
		return nil, fmt.Errorf("list releases: %w", err)
	}
	r.listed = all
	pub, drafts := forTag(all, r.j.Tag)
	if pub != nil {
		r.sweep(ctx, pub, all)
		return pub, nil
	}
	if len(drafts) == 0 {
		log.Infof("no release for %s yet", r.j.Tag)
		return nil, nil
	}
	d := pickDraft(drafts)
	if len(drafts) > 1 {
		log.Warningf("%d drafts share the tag %s; using the oldest, id %d", len(drafts), r.j.Tag, d.ID)
	} else {
		log.Infof("found draft release %d for %s", d.ID, r.j.Tag)
	}
	return d, nil
}

// forTag splits releases with the tag into the published one and the drafts.
func forTag(all []*Release, tag string) (pub *Release, drafts []*Release) {
	for _, rel := range all {
		if rel.TagName != tag {
			continue
		}
		if rel.Draft {
			drafts = append(drafts, rel)
		} else if pub == nil {
			pub = rel
		}
	}
	return pub, drafts
}

// pickDraft is the one rule for several drafts sharing a tag: the oldest (lowest
// id) wins. Every concurrent run applies the same rule to the same listing, so
// they all settle on the same draft.
func pickDraft(drafts []*Release) *Release {
	best := drafts[0]
	for _, d := range drafts[1:] {
		if d.ID < best.ID {
			best = d
		}
	}
	return best
}

// create makes the release as a draft, then converges with other runs that may
// have created one for the same tag at the same moment.
func (r *run) create(ctx context.Context) (*Release, error) {
	gh, j := r.p.GH, r.j
	body, set, err := r.body(ctx, nil) // notesmode.go
	if err != nil {
		return nil, err
	}
	name := j.Name
	if name == "" {
		name = j.Tag
	}
	f := ReleaseFields{TagName: &j.Tag, Name: &name, Draft: ptr(true), Prerelease: ptr(false)}
	if set {
		f.Body = &body
	}
	if j.Prerelease != nil {
		f.Prerelease = j.Prerelease
	}
	if target := r.target(); target != "" {
		f.TargetCommitish = &target
	}
	rel, err := r.sendCreate(ctx, f)
	if IsAlreadyExists(err, "Release") {
		// Published by someone else since we looked.
		if rel, err = gh.ReleaseByTag(ctx, j.Tag); err == nil {
			r.p.Log.Infof("release %s was published meanwhile; using it", j.Tag)
			return rel, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create release %s: %w", j.Tag, err)
	}
	r.created, r.release = true, rel // a failure from here on removes it
	r.p.Log.Infof("created draft release %d for %s", rel.ID, j.Tag)

	all, err := gh.ListReleases(ctx)
	if err != nil {
		return nil, fmt.Errorf("list releases: %w", err)
	}
	r.listed = all
	pub, drafts := forTag(all, j.Tag)
	winner := pub
	if winner == nil && len(drafts) > 0 {
		winner = pickDraft(drafts)
	}
	if winner == nil || winner.ID == rel.ID {
		return rel, nil
	}
	r.p.Log.Infof("another run created release %d for %s first; deleting ours (%d) and using it", winner.ID, j.Tag, rel.ID)
	if err := gh.DeleteRelease(ctx, rel.ID); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("delete duplicate draft %d: %w", rel.ID, err)
	}
	r.created = false
	r.sweep(ctx, pub, without(all, rel.ID))
	return winner, nil
}

// without returns the releases of all but the one with id.
func without(all []*Release, id int64) []*Release {
	var out []*Release
	for _, rel := range all {
		if rel.ID != id {
			out = append(out, rel)
		}
	}
	return out
}

// update sends only the fields the user set that differ from the release.
func (r *run) update(ctx context.Context, rel *Release) (*Release, error) {
	j := r.j
	var f ReleaseFields
	changed := false
	if j.Name != "" && j.Name != rel.Name {
		f.Name, changed = &j.Name, true
	}
	if !r.created {
		body, set, err := r.body(ctx, rel) // notesmode.go
		if err != nil {
			return nil, err
		}
		if set && body != rel.Body {
			f.Body, changed = &body, true
		}
	}
	if j.Prerelease != nil && *j.Prerelease != rel.Prerelease {
		if rel.Immutable && !rel.Draft {
			r.warn("release %s is immutable; prerelease stays %v", j.Tag, rel.Prerelease)
		} else {
			f.Prerelease, changed = j.Prerelease, true
		}
	}
	if target := r.target(); target != "" && rel.Draft && target != rel.TargetCommitish {
		// Only a draft's tag may not exist yet; for a published release GitHub ignores it.
		f.TargetCommitish, changed = &target, true
	}
	if !changed {
		return rel, nil
	}
	got, err := r.p.GH.UpdateRelease(ctx, rel.ID, f)
	if err != nil {
		return nil, fmt.Errorf("update release %d: %w", rel.ID, err)
	}
	r.changed = true
	r.p.Log.Infof("updated release %d", rel.ID)
	return got, nil
}

// publish turns the draft into a release, last, once every asset is in place.
func (r *run) publish(ctx context.Context, rel *Release) (*Release, error) {
	j := r.j
	if j.Draft {
		if !rel.Draft {
			r.warn("release %s is already published; %s does not turn it back into a draft", j.Tag, j.Words.Set("draft", "true"))
		}
		return rel, nil
	}
	makeLatest := j.MakeLatest
	if makeLatest == "semver" {
		c, err := r.semverLatest(ctx, rel)
		if err != nil {
			return nil, err
		}
		makeLatest = c.value
	}
	f := ReleaseFields{}
	if rel.Draft {
		f.Draft = ptr(false)
		if target := r.target(); target != "" {
			// Sent again: GitHub makes a missing tag now, from this target.
			f.TargetCommitish = &target
		}
		if j.DiscussionCategory != "" {
			f.DiscussionCategory = &j.DiscussionCategory
		}
	} else if makeLatest == "true" {
		// Already published: only ask again when it is not the latest yet.
		latest, err := r.p.GH.LatestRelease(ctx)
		if err == nil && latest.ID == rel.ID {
			return rel, nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("get latest release: %w", err)
		}
	} else {
		return rel, nil
	}
	if makeLatest != "" {
		f.MakeLatest = &makeLatest
	}
	got, err := r.p.GH.UpdateRelease(ctx, rel.ID, f)
	if rel.Draft && isBurnedTag(err) {
		return nil, r.burnedTag(ctx, rel, err)
	}
	if err != nil {
		return nil, fmt.Errorf("publish release %d: %w", rel.ID, err)
	}
	r.changed = true
	if rel.Draft {
		r.published = true
		r.p.Log.Infof("published release %s: %s", j.Tag, got.HTMLURL)
	}
	return got, nil
}

func (r *run) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.warnings = append(r.warnings, msg)
	r.p.Log.Warningf("%s", msg)
}

func ptr[T any](v T) *T { return &v }
