package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/releasekit/release-action/internal/assets"
)

// ErrIncomplete matches a run that did not publish because the draft does not
// hold every asset the run put there, complete and with the digest it
// uploaded: publishing it would make a release without them (and, under
// immutable releases, one that can never get them).
var ErrIncomplete = errors.New("the release is incomplete")

// publishDraft publishes the draft only once it is complete. The assets are
// read back before the publish: every asset this run reports must be there,
// uploaded, with the size and digest the run uploaded or kept; otherwise
// nothing is published and the run fails, naming each. When expected_assets
// names assets the draft does not hold yet, another job uploads them: the
// draft stays unpublished for that job and the run succeeds, saying what it
// waits for (Result.Waiting).
//
// A plain create costs no request more than before: the read-back was made
// after the publish, to refresh the download URLs; now it comes before, and
// the published URLs come from the publish answer, which carries the release's
// assets as GitHub renders every release (or, when it carries none, from the
// release page's URL: a published release files its downloads under its tag).
func (r *run) publishDraft(ctx context.Context, rel *Release) error {
	list, err := r.p.GH.ListAssets(ctx, rel.ID)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("release %d for %s is gone: another run deleted it after this run changed it (run again to publish it): %w", rel.ID, r.j.Tag, errConflict)
	}
	if err != nil {
		return fmt.Errorf("read the assets of draft %d back before publishing it (it stays a draft): %w", rel.ID, err)
	}
	if missing := r.compare(list); len(missing) > 0 {
		return fmt.Errorf("release %s was not published: its draft does not hold what this run put there: %s: %w", r.j.Tag, strings.Join(missing, "; "), ErrIncomplete)
	}
	if r.waiting = waitingFor(r.j.Expected, list); len(r.waiting) > 0 {
		r.p.Log.Infof("release %s stays a draft: %s names %s, not on it yet; the job that uploads the last of them publishes it",
			r.j.Tag, r.j.Words.Input("expected_assets"), strings.Join(quoteAll(r.waiting), ", "))
		r.settleChanged()
		return nil
	}
	published, err := r.publish(ctx, rel)
	if err != nil {
		return err
	}
	r.release = published
	r.settleChanged()
	if published.Assets != nil {
		// The release as published: the assets with their final URLs, and
		// whatever another run changed since the read-back.
		return r.confirm(published.Assets)
	}
	r.filePublishedURLs(published)
	return nil
}

// settleChanged settles changed once the run's writes are done: any write,
// the create, the publish, or an asset not kept.
func (r *run) settleChanged() {
	r.changed = r.changed || r.created || r.published || r.assetsChanged()
}

// compare names every asset the run reports as on the release that list does
// not show uploaded with the content reported: missing, broken (a "starter" or
// "open" upload), or holding other bytes; the entries that hold take the
// listed asset's id, state and URLs. The digest reported for an upload is the
// sha256 of the bytes sent (the upload fails when GitHub's differs), for a
// kept asset the local file's. When GitHub reports no digest, the size and the
// state decide, and an asset of another id (another run uploaded the name
// again) cannot be told to hold this run's bytes. Names are unique on a
// release, so the name finds the asset.
func (r *run) compare(list []*Asset) []string {
	byName := map[string]*Asset{}
	for _, a := range list {
		byName[a.Name] = a
	}
	var missing []string
	for i := range r.reports {
		rep := &r.reports[i]
		if rep.Action == ActionDeleted {
			continue
		}
		a := byName[rep.Name]
		switch {
		case a == nil:
			missing = append(missing, fmt.Sprintf("%s is missing", rep.Name))
		case a.State != "uploaded":
			missing = append(missing, fmt.Sprintf("%s is broken (state %q)", rep.Name, a.State))
		case a.Size != rep.Size:
			missing = append(missing, fmt.Sprintf("%s has %d bytes, not the %d uploaded", rep.Name, a.Size, rep.Size))
		case rep.Digest != "" && !strings.EqualFold(a.Digest, rep.Digest):
			missing = append(missing, fmt.Sprintf("%s has digest %s, not the uploaded %s", rep.Name, orNone(a.Digest), rep.Digest))
		case a.ID != rep.ID && a.Digest == "":
			missing = append(missing, fmt.Sprintf("%s is now another asset (id %d) whose content GitHub does not report", rep.Name, a.ID))
		default:
			rep.ID, rep.URL, rep.BrowserDownloadURL, rep.State = a.ID, a.URL, a.BrowserDownloadURL, a.State
		}
	}
	return missing
}

// waitingFor returns the expected entries that no uploaded asset of list matches.
func waitingFor(expected []assets.Expected, list []*Asset) []string {
	var waiting []string
	for _, e := range expected {
		found := false
		for _, a := range list {
			if a.State == "uploaded" && e.Match(a.Name) {
				found = true
				break
			}
		}
		if !found {
			waiting = append(waiting, e.Pattern)
		}
	}
	return waiting
}

// filePublishedURLs moves the download URLs the draft's listing gave (filed
// under GitHub's "untagged-…" name) under the tag, where the published
// release files them: the release page's URL, .../releases/tag/<tag>, gives
// the prefix, .../releases/download/<tag>/.
func (r *run) filePublishedURLs(rel *Release) {
	page, tag, ok := strings.Cut(rel.HTMLURL, "/releases/tag/")
	if !ok || tag == "" {
		return
	}
	for i := range r.reports {
		rep := &r.reports[i]
		if rep.Action == ActionDeleted || rep.BrowserDownloadURL == "" {
			continue
		}
		file := rep.BrowserDownloadURL[strings.LastIndex(rep.BrowserDownloadURL, "/")+1:]
		rep.BrowserDownloadURL = page + "/releases/download/" + tag + "/" + file
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
