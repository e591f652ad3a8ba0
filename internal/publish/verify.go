package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// ErrVerify matches a published release whose downloads are not what the run
// uploaded (verify: download).
var ErrVerify = errors.New("the published release does not serve what was uploaded")

// PublicDownloader fetches a URL the way a user's browser or curl would: with
// no credentials, following redirects to GitHub's download host, reading at
// most size bytes and failing when the answer is longer or shorter.
// internal/ghclient implements it next to publish.GitHub.
type PublicDownloader interface {
	DownloadPublic(ctx context.Context, rawURL string, size int64) (io.ReadCloser, error)
}

// VerifiedAsset is one asset checked after publishing.
type VerifiedAsset struct {
	Name   string `json:"name"`
	Digest string `json:"digest"` // what the download hashed to, "sha256:<hex>"
	Want   string `json:"want"`   // what it had to be
	OK     bool   `json:"ok"`
	Reason string `json:"reason,omitempty"` // why not, when not OK
}

// verify reads the published release back and downloads every asset through
// its browser_download_url, as anyone would, comparing the sha256 with the
// digest the run uploaded (for another job's asset: the digest GitHub lists
// for it). Any difference fails the run, naming each asset.
func (r *run) verify(ctx context.Context) error {
	rel := r.release
	switch {
	case r.j.Verify == core.VerifyOff || r.j.DryRun || rel == nil:
		return nil
	case len(r.waiting) > 0:
		r.p.Log.Infof("%s: release %s is not published yet (it waits for expected assets); the job that publishes it verifies it", r.j.Words.Input("verify"), r.j.Tag)
		return nil
	case rel.Draft:
		return nil
	}
	r.p.Log.Group("Verify what " + r.j.Tag + " serves")
	defer r.p.Log.EndGroup()
	got, err := r.p.GH.GetRelease(ctx, rel.ID)
	if err != nil {
		return fmt.Errorf("%s: read release %d back: %w", r.j.Words.Input("verify"), rel.ID, err)
	}
	if got.Draft {
		return fmt.Errorf("%s: release %s is a draft again after this run published it: %w", r.j.Words.Input("verify"), r.j.Tag, ErrVerify)
	}
	list := got.Assets
	if list == nil {
		if list, err = r.p.GH.ListAssets(ctx, rel.ID); err != nil {
			return fmt.Errorf("%s: list the assets of release %d: %w", r.j.Words.Input("verify"), rel.ID, err)
		}
	}
	if r.j.Verify == core.VerifyDownload {
		if err := r.verifyDownloads(ctx, list); err != nil {
			return err
		}
	}
	return r.checkReleaseAttestation(ctx, got, list) // releaseattest.go
}

// verifyDownloads downloads every asset of list anonymously, as a user would,
// and compares each sha256 with what this run uploaded (or GitHub lists).
func (r *run) verifyDownloads(ctx context.Context, list []*Asset) error {
	dl, ok := r.p.GH.(PublicDownloader)
	if !ok {
		return fmt.Errorf("%s: this client cannot download anonymously", r.j.Words.Input("verify"))
	}
	mine := map[string]AssetReport{}
	for _, rep := range r.reports {
		if rep.Action != ActionDeleted {
			mine[rep.Name] = rep
		}
	}
	var bad []string
	for _, a := range list {
		v := r.verifyOne(ctx, dl, a, mine)
		r.verified = append(r.verified, v)
		if v.OK {
			r.p.Log.Infof("verified %s: %s", v.Name, v.Digest)
			continue
		}
		bad = append(bad, v.Name+": "+v.Reason)
		if errors.Is(ctx.Err(), context.Canceled) {
			break
		}
	}
	for name := range mine {
		if !hasName(list, name) {
			bad = append(bad, name+": not on the published release")
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: release %s does not serve what was uploaded: %s: %w", r.j.Words.Input("verify"), r.j.Tag, strings.Join(bad, "; "), ErrVerify)
	}
	return nil
}

// verifyOne downloads one asset anonymously and compares its sha256.
func (r *run) verifyOne(ctx context.Context, dl PublicDownloader, a *Asset, mine map[string]AssetReport) VerifiedAsset {
	v := VerifiedAsset{Name: a.Name, Want: strings.ToLower(a.Digest)}
	if rep, ok := mine[a.Name]; ok && rep.Digest != "" {
		v.Want = strings.ToLower(rep.Digest)
		if a.Digest != "" && !strings.EqualFold(a.Digest, rep.Digest) {
			v.Reason = fmt.Sprintf("GitHub lists digest %s, this run uploaded %s", a.Digest, rep.Digest)
			return v
		}
	}
	switch {
	case v.Want == "":
		v.Reason = "neither this run nor GitHub has a digest to compare the download with"
		return v
	case a.State != "uploaded":
		v.Reason = fmt.Sprintf("state %q", a.State)
		return v
	case a.BrowserDownloadURL == "":
		v.Reason = "no browser_download_url"
		return v
	}
	body, err := dl.DownloadPublic(ctx, a.BrowserDownloadURL, a.Size)
	if err != nil {
		v.Reason = fmt.Sprintf("download %s: %v", a.BrowserDownloadURL, err)
		return v
	}
	defer body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, body); err != nil {
		v.Reason = fmt.Sprintf("download %s: %v", a.BrowserDownloadURL, err)
		return v
	}
	v.Digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	if v.Digest != v.Want {
		v.Reason = fmt.Sprintf("the download hashes to %s, want %s", v.Digest, v.Want)
		return v
	}
	v.OK = true
	return v
}

func hasName(list []*Asset, name string) bool {
	for _, a := range list {
		if a.Name == name {
			return true
		}
	}
	return false
}
