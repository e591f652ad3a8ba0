package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/attest"
)

// assetPlan is a run's one asset plan, made once and read by the immutable
// check, the dry run and the executor.
type assetPlan struct {
	local []Local
	// listed is every asset of the release when the plan was made (the checksum
	// list included), with the digests planning computed filled in; nil for a
	// release that does not exist yet.
	listed []*Asset
	steps  []Step
	// err holds the plan's refusals (ErrOverwriteRefused); a real run returns it
	// once the release's fields are updated, a dry run at once.
	err error
}

// locals wraps the matched files for planning.
func (r *run) locals() []Local {
	out := make([]Local, len(r.j.Files))
	for i, f := range r.j.Files {
		out[i] = Local{File: f}
	}
	return out
}

// plan lists rel's assets (none when rel is nil), computes the digests the
// planner needs, and plans.
func (r *run) plan(ctx context.Context, rel *Release, local []Local) (*assetPlan, error) {
	var listed []*Asset
	if rel != nil {
		list, err := r.p.GH.ListAssets(ctx, rel.ID)
		if err != nil {
			return nil, fmt.Errorf("list assets of release %d: %w", rel.ID, err)
		}
		for _, a := range list {
			c := *a
			listed = append(listed, &c)
		}
	}
	remote := r.planRemote(listed)
	if err := r.digests(ctx, remote, local); err != nil {
		return nil, err
	}
	opt := r.planOptions()
	r.noteLiveTemps(remote, opt.Now)
	steps, err := MakePlan(remote, local, opt)
	p := &assetPlan{local: local, listed: listed, steps: steps, err: err}
	r.makeRoom(p) // prune_assets (retain.go)
	return p, nil
}

// planRemote is what the plan matches files against: every listed asset but
// the checksum list and (when attesting) its bundle, which are handled on their own, after the
// other assets (checksums.go).
func (r *run) planRemote(listed []*Asset) []*Asset {
	var remote []*Asset
	for _, a := range listed {
		if r.j.Checksums != "" && (a.Name == assets.GitHubName(r.j.Checksums) || r.j.Attest && a.Name == bundleName(assets.GitHubName(r.j.Checksums))) {
			continue
		}
		remote = append(remote, a)
	}
	return remote
}

// planOptions are the run's settings for MakePlan, at this moment.
func (r *run) planOptions() PlanOptions {
	return PlanOptions{Overwrite: r.j.Overwrite, DeleteOther: r.j.DeleteOther, Words: r.j.Words, Me: r.me, Now: time.Now()}
}

// noteLiveTemps says which temporary assets the plan leaves to the runs that
// own them.
func (r *run) noteLiveTemps(remote []*Asset, now time.Time) {
	for _, a := range remote {
		if _, kind := r.me.classify(a, now); kind == tempLive {
			p, _ := parseTemp(a.Name)
			r.p.Log.Infof("leaving %s alone: another run (%s) is replacing %s", a.Name, p.owner(), p.base)
		}
	}
}

// digests computes the digests the plan needs: local sha256 only where an asset
// of the same name and size exists, and the sha256 of such an asset when GitHub
// reports none (older assets).
func (r *run) digests(ctx context.Context, remote []*Asset, local []Local) error {
	var g errgroup.Group
	g.SetLimit(max(1, r.j.MaxParallel))
	for i := range local {
		l := &local[i]
		if l.SHA256 != "" || !NeedsLocalDigest(remote, l) {
			continue
		}
		g.Go(func() error {
			sum, _, err := hashLocal(l)
			l.SHA256 = sum
			return err
		})
	}
	for _, a := range remote {
		if a.SHA256() != "" || (a.State != "" && a.State != "uploaded") || !sizeMatchesLocal(a, local) {
			continue
		}
		g.Go(func() error {
			sum, err := hashRemote(ctx, r.p.GH, a)
			if err != nil {
				return fmt.Errorf("hash existing asset %s (GitHub reports no digest): %w", a.Name, err)
			}
			a.Digest = "sha256:" + sum
			return nil
		})
	}
	return g.Wait()
}

func sizeMatchesLocal(a *Asset, local []Local) bool {
	for i := range local {
		if local[i].Size == a.Size && (local[i].StoredName == a.Name || (a.Label != "" && a.Label == desiredLabel(&local[i]))) {
			return true
		}
	}
	return false
}

// assets applies the plan to the release, then converges the checksum list with
// the assets.
func (r *run) assets(ctx context.Context, rel *Release, plan *assetPlan) error {
	if plan.err != nil {
		return plan.err
	}
	r.p.Log.Infof("plan:\n%s", strings.TrimRight(FormatPlan(plan.steps), "\n"))
	if err := r.apply(ctx, rel, plan.steps); err != nil {
		return err
	}
	if r.j.Checksums == "" {
		return nil
	}
	return r.checksums(ctx, rel)
}

// apply runs steps through an executor, records the assets it uploaded (for
// failure cleanup) and reports the outcomes.
func (r *run) apply(ctx context.Context, rel *Release, steps []Step) error {
	ex := &executor{gh: r.p.GH, log: r.p.Log, rel: rel, parallel: r.j.MaxParallel, meter: r.p.Meter, tag: r.me, repo: r.j.Repository}
	done, err := ex.run(ctx, steps)
	for _, id := range done.uploaded {
		r.uploaded[id] = true
	}
	r.own.merge(done.own)
	r.report(done.outs)
	return err
}

// checkImmutable fails, before any change, when the plan would change an
// immutable release's assets. Title and notes stay editable, so they are not
// checked.
// https://docs.github.com/en/code-security/supply-chain-security/understanding-your-software-supply-chain/immutable-releases
func (r *run) checkImmutable(ctx context.Context, plan *assetPlan) error {
	if plan.err != nil && !errors.Is(plan.err, ErrOverwriteRefused) {
		return plan.err
	}
	var would []string
	for _, s := range plan.steps {
		if s.Changes() {
			would = append(would, fmt.Sprintf("%s %s (%s)", s.Op, s.Name, s.Reason))
		}
	}
	if plan.err != nil {
		would = append(would, plan.err.Error())
	}
	if len(would) == 0 && r.j.Checksums != "" {
		// Nothing else changes, so the release holds what was listed.
		content, existing, err := r.checksumList(ctx, plan.listed)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		want := &Local{File: assets.File{Size: int64(len(content))}, SHA256: hex.EncodeToString(sum[:])}
		if existing == nil || !sameContent(existing, want) {
			would = append(would, fmt.Sprintf("write %s (the checksum list differs)", r.j.Checksums))
		}
	}
	if len(would) == 0 {
		return nil
	}
	sort.Strings(would)
	return fmt.Errorf("release %s is immutable: once published, its assets can never change, and this run would:\n  %s\n"+
		"nothing was changed; to ship different files, publish them under a new tag (the tag of an immutable release cannot be reused)",
		r.j.Tag, strings.Join(would, "\n  "))
}

// dryRun prints what a real run would do, and changes nothing.
func (r *run) dryRun(ctx context.Context, rel *Release, plan *assetPlan) error {
	log := r.p.Log
	switch {
	case rel == nil:
		log.Infof("dry run: would create draft release %s", r.j.Tag)
	case rel.Draft:
		log.Infof("dry run: would update draft release %d", rel.ID)
	default:
		log.Infof("dry run: would update published release %d", rel.ID)
	}
	r.release = rel
	if plan.err != nil {
		return plan.err
	}
	if immutable(rel) {
		if err := r.checkImmutable(ctx, plan); err != nil {
			return err
		}
	}
	r.planned = plan.steps
	log.Infof("dry run: plan:\n%s", strings.TrimRight(FormatPlan(plan.steps), "\n"))
	if r.j.Checksums != "" {
		log.Infof("dry run: would then write %s listing every asset", r.j.Checksums)
	}
	if r.j.Attest {
		log.Infof("dry run: would attest the build provenance of every asset it uploads or replaces (and of kept assets without a bundle that covers them), and attach each bundle as NAME%s", attest.BundleSuffix)
	}
	if err := r.dryRunNotes(ctx, rel); err != nil { // notesmode.go
		return err
	}
	if !r.j.Draft && (rel == nil || rel.Draft) {
		log.Infof("dry run: would publish the release last")
	}
	if !r.j.Draft && r.j.MakeLatest == "semver" {
		if _, err := r.semverLatest(ctx, rel); err != nil {
			return err
		}
	}
	var outs []outcome
	for _, s := range plan.steps {
		o := outcome{step: s, action: s.Op.Intent()}
		if s.Op == OpKeep || s.Op == OpDelete {
			o.asset = s.Remote // the asset as it stays, or as it is before it goes
		}
		outs = append(outs, o)
	}
	r.report(outs)
	return nil
}

// hashLocal computes a local file's sha256.
func hashLocal(l *Local) (string, int64, error) {
	sum, n, err := assets.HashFile(l.Path)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", l.Rel, err)
	}
	return sum, n, nil
}

// hashRemote downloads an asset GitHub reports no digest for and hashes it,
// reading no more than its listed size.
func hashRemote(ctx context.Context, gh GitHub, a *Asset) (string, error) {
	rc, err := gh.DownloadAsset(ctx, a.ID, a.Size)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", fmt.Errorf("download asset %s: %w", a.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
