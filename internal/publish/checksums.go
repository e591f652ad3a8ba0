package publish

import (
	"context"
	"fmt"
	"time"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/attest"
)

// checksums uploads a sha256sum-format list of every other asset of the release,
// kept when the list on the release already says the same. The assets are listed
// again: uploads, and other jobs' uploads, have changed them since the plan.
func (r *run) checksums(ctx context.Context, rel *Release) error {
	list, err := r.p.GH.ListAssets(ctx, rel.ID)
	if err != nil {
		return fmt.Errorf("list assets of release %d: %w", rel.ID, err)
	}
	content, existing, err := r.checksumList(ctx, list)
	if err != nil {
		return err
	}
	l, err := r.checksumFile(content)
	if err != nil {
		return err
	}
	var remote []*Asset
	if existing != nil {
		remote = append(remote, existing)
	}
	locals := []Local{*l}
	if r.j.Attest {
		bundle, err := r.attestChecksums(ctx, l, existing, list)
		if err != nil {
			return err
		}
		locals = append(locals, bundle.local)
		if bundle.remote != nil {
			remote = append(remote, bundle.remote)
		}
	}
	steps, err := MakePlan(remote, locals, PlanOptions{Overwrite: true, Me: r.me, Now: time.Now()})
	if err != nil {
		return err
	}
	return r.apply(ctx, rel, steps)
}

// checksumBundle is the bundle of the checksum list: the local to plan, and
// the bundle asset already on the release, if any.
type checksumBundle struct {
	local  Local
	remote *Asset
}

// attestChecksums keeps the bundle beside an unchanged checksum list when it
// covers it, and otherwise signs the new list, before the list is uploaded:
// a failure leaves the list as it was.
func (r *run) attestChecksums(ctx context.Context, l *Local, existing *Asset, list []*Asset) (checksumBundle, error) {
	var out checksumBundle
	for _, a := range list {
		if a.Name == bundleName(l.StoredName) {
			out.remote = a
		}
	}
	if existing != nil && sameContent(existing, l) {
		if kept, ok := r.keptBundle(ctx, out.remote, Step{Name: l.StoredName, Remote: existing, Local: l}); ok {
			out.local = kept
			return out, nil
		}
	}
	made, err := r.signAndStore(ctx, []attest.Subject{{Name: l.StoredName, SHA256: l.SHA256}})
	if err != nil {
		return out, err
	}
	out.local = made[0]
	return out, nil
}

// checksumList renders the checksum list of the assets on list, and returns the
// list's own asset when there is one. Assets GitHub reports no digest for are
// downloaded and hashed.
func (r *run) checksumList(ctx context.Context, list []*Asset) ([]byte, *Asset, error) {
	stored := assets.GitHubName(r.j.Checksums)
	var existing *Asset
	var sums []assets.Checksum
	for _, a := range list {
		switch {
		case a.Name == stored:
			existing = a
			continue
		case r.j.Attest && a.Name == bundleName(stored):
			continue // signed after the list is made: it cannot be in it
		case a.State != "" && a.State != "uploaded", tempPattern.MatchString(a.Name):
			continue
		}
		sum := a.SHA256()
		if sum == "" {
			var err error
			if sum, err = hashRemote(ctx, r.p.GH, a); err != nil {
				return nil, nil, fmt.Errorf("%s: hash %s: %w", r.j.Words.Input("checksums"), a.Name, err)
			}
		}
		sums = append(sums, assets.Checksum{Name: a.Name, SHA256: sum})
	}
	return assets.ChecksumList(sums), existing, nil
}

// checksumFile writes the checksum list where the executor can upload it from.
func (r *run) checksumFile(content []byte) (*Local, error) {
	stored := assets.GitHubName(r.j.Checksums)
	path, err := r.tempFile(stored, content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.j.Words.Input("checksums"), err)
	}
	sum, _, err := assets.HashFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.j.Words.Input("checksums"), err)
	}
	return &Local{File: assets.File{
		Path: path, Rel: r.j.Checksums, Name: r.j.Checksums, StoredName: stored,
		Size: int64(len(content)), ContentType: assets.ContentType(r.j.Checksums),
	}, SHA256: sum}, nil
}
