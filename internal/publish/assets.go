package publish

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/releasekit/release-action/internal/assets"
)

// prepare lists the release's assets and computes the digests the plan needs:
// local sha256 only where an asset of the same name and size exists, and the
// sha256 of such an asset when GitHub reports none (older assets).
func (r *run) prepare(ctx context.Context, rel *Release, local []Local) ([]*Asset, error) {
	var remote []*Asset
	if rel != nil {
		list, err := r.p.GH.ListAssets(ctx, rel.ID)
		if err != nil {
			return nil, fmt.Errorf("list assets of release %d: %w", rel.ID, err)
		}
		for _, a := range list {
			if r.j.Checksums != "" && a.Name == assets.GitHubName(r.j.Checksums) {
				continue // handled on its own, after the other assets
			}
			c := *a
			remote = append(remote, &c)
		}
	}
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
	return remote, g.Wait()
}

func sizeMatchesLocal(a *Asset, local []Local) bool {
	for i := range local {
		if local[i].Size == a.Size && (local[i].StoredName == a.Name || (a.Label != "" && a.Label == desiredLabel(&local[i]))) {
			return true
		}
	}
	return false
}

func (r *run) planOptions() PlanOptions {
	return PlanOptions{Overwrite: r.j.Overwrite, DeleteOther: r.j.DeleteOther}
}

// assets converges the release's assets with the local files, then the checksum
// list with the assets.
func (r *run) assets(ctx context.Context, rel *Release, local []Local) error {
	remote, err := r.prepare(ctx, rel, local)
	if err != nil {
		return err
	}
	steps, err := MakePlan(remote, local, r.planOptions())
	if err != nil {
		return err
	}
	r.p.Log.Infof("plan:\n%s", strings.TrimRight(FormatPlan(steps), "\n"))
	r.ex = &executor{gh: r.p.GH, log: r.p.Log, rel: rel, parallel: r.j.MaxParallel, progress: r.p.progress()}
	outs, err := r.ex.run(ctx, steps)
	r.report(outs)
	if err != nil {
		return err
	}
	if r.j.Checksums == "" {
		return nil
	}
	return r.checksums(ctx, rel)
}

// checksums uploads a sha256sum-format list of every other asset of the release,
// kept when the list on the release already says the same.
func (r *run) checksums(ctx context.Context, rel *Release) error {
	l, existing, err := r.checksumFile(ctx, rel)
	if err != nil {
		return err
	}
	var remote []*Asset
	if existing != nil {
		remote = append(remote, existing)
	}
	steps, err := MakePlan(remote, []Local{*l}, PlanOptions{Overwrite: true})
	if err != nil {
		return err
	}
	outs, err := r.ex.run(ctx, steps)
	r.report(outs)
	return err
}

// checksumFile builds the checksum list from the release as it is now.
func (r *run) checksumFile(ctx context.Context, rel *Release) (*Local, *Asset, error) {
	list, err := r.p.GH.ListAssets(ctx, rel.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("list assets of release %d: %w", rel.ID, err)
	}
	stored := assets.GitHubName(r.j.Checksums)
	var existing *Asset
	var sums []assets.Checksum
	for _, a := range list {
		switch {
		case a.Name == stored:
			existing = a
			continue
		case a.State != "" && a.State != "uploaded", tempPattern.MatchString(a.Name):
			continue
		}
		sum := a.SHA256()
		if sum == "" {
			if sum, err = hashRemote(ctx, r.p.GH, a); err != nil {
				return nil, nil, fmt.Errorf("checksums: hash %s: %w", a.Name, err)
			}
		}
		sums = append(sums, assets.Checksum{Name: a.Name, SHA256: sum})
	}
	content := assets.ChecksumList(sums)
	path, err := r.p.tempFile(stored, content)
	if err != nil {
		return nil, nil, fmt.Errorf("checksums: %w", err)
	}
	sum, _, err := assets.HashFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("checksums: %w", err)
	}
	l := &Local{File: assets.File{
		Path: path, Rel: r.j.Checksums, Name: r.j.Checksums, StoredName: stored,
		Size: int64(len(content)), ContentType: assets.ContentType(r.j.Checksums),
	}, SHA256: sum}
	return l, existing, nil
}

// checkImmutable fails, before any change, when the local files would change an
// immutable release's assets. Title and notes stay editable, so they are not checked.
// https://docs.github.com/en/code-security/supply-chain-security/understanding-your-software-supply-chain/immutable-releases
func (r *run) checkImmutable(ctx context.Context, rel *Release, local []Local) error {
	remote, err := r.prepare(ctx, rel, local)
	if err != nil {
		return err
	}
	steps, err := MakePlan(remote, local, r.planOptions())
	var would []string
	if err != nil && !errors.Is(err, ErrOverwriteRefused) {
		return err
	}
	for _, s := range steps {
		if s.Changes() {
			would = append(would, fmt.Sprintf("%s %s (%s)", s.Op, s.Name, s.Reason))
		}
	}
	if err != nil {
		would = append(would, err.Error())
	}
	if len(would) == 0 && r.j.Checksums != "" {
		l, existing, err := r.checksumFile(ctx, rel)
		if err != nil {
			return err
		}
		if existing == nil || !sameContent(existing, l) {
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
func (r *run) dryRun(ctx context.Context, rel *Release, local []Local) error {
	log := r.p.Log
	switch {
	case rel == nil:
		log.Infof("dry run: would create draft release %s", r.j.Tag)
	case rel.Draft:
		log.Infof("dry run: would update draft release %d", rel.ID)
	default:
		log.Infof("dry run: would update published release %d", rel.ID)
	}
	r.res.Release = rel
	remote, err := r.prepare(ctx, rel, local)
	if err != nil {
		return err
	}
	steps, err := MakePlan(remote, local, r.planOptions())
	if err != nil {
		return err
	}
	if rel != nil && rel.Immutable && !rel.Draft {
		if err := r.checkImmutable(ctx, rel, local); err != nil {
			return err
		}
	}
	r.res.Plan = steps
	log.Infof("dry run: plan:\n%s", strings.TrimRight(FormatPlan(steps), "\n"))
	if r.j.Checksums != "" {
		log.Infof("dry run: would then write %s listing every asset", r.j.Checksums)
	}
	if !r.j.Draft && (rel == nil || rel.Draft) {
		log.Infof("dry run: would publish the release last")
	}
	var outs []outcome
	for _, s := range steps {
		o := outcome{step: s, asset: s.Remote, action: map[Op]string{OpKeep: ActionKept, OpUpload: ActionUploaded, OpReplace: ActionReplaced, OpDelete: ActionDeleted}[s.Op]}
		if s.Op != OpKeep && s.Op != OpDelete {
			o.asset = nil
		}
		outs = append(outs, o)
	}
	r.report(outs)
	return nil
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
		r.res.Assets = append(r.res.Assets, rep)
	}
	r.res.Assets = sortedReports(r.res.Assets)
}
