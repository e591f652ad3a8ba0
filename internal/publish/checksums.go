package publish

import (
	"context"
	"fmt"
	"time"

	"github.com/releasekit/release-action/internal/assets"
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
	steps, err := MakePlan(remote, []Local{*l}, PlanOptions{Overwrite: true, Me: r.me, Now: time.Now()})
	if err != nil {
		return err
	}
	return r.apply(ctx, rel, steps)
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
