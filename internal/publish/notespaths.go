package publish

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/sync/errgroup"

	"github.com/releasekit/release-action/internal/notes"
)

// The bounds of notes_paths: how many commits of the range are read at most
// (the newest), how many a page of the comparison holds, and how many pages
// of a commit's files are read (GitHub lists 3,000 files at most).
const (
	maxPathCommits   = 250
	pathCommitsPage  = 100
	maxCommitFilePgs = 3000 / CommitFilesPerPage
	// pathReaders is how many commits are read at once: a few, as GitHub
	// asks of clients that would otherwise meet its secondary rate limits.
	pathReaders = 4
)

// limitedToPaths applies notes_paths to GitHub's generated notes: it reads the
// commits between the tag the notes start from (prev, or the one GitHub chose,
// read from their Full Changelog line) and this release's commit, the files
// of each, and the merged pull requests of those that change a file matching
// a pattern; notes.Scope then keeps those pull requests' entries, in GitHub's
// words. Without notes_paths the notes are GitHub's as they are. Each listing
// is bounded: the newest maxPathCommits commits at most, with a warning
// naming how many were left unread.
func (r *run) limitedToPaths(ctx context.Context, generated, prev string) (string, error) {
	j := r.j
	if len(j.NotesPaths) == 0 {
		return generated, nil
	}
	ref := j.Words.Ref("notes_paths")
	base := prev
	if base == "" {
		b, ok := notes.ChangelogBase(generated)
		if !ok {
			r.warn("the generated notes start at the beginning of the history (no earlier release or tag to compare with), so they are not limited to the paths of %s", ref)
			return generated, nil
		}
		base = b
	}
	head := r.notesHead()
	if head == "" {
		r.warn("tag %s does not exist yet and no commit is given for it (%s), so the generated notes are not limited to the paths of %s", j.Tag, j.Words.Ref("target_commitish"), ref)
		return generated, nil
	}
	pulls, touching, read, total, err := r.pullsTouching(ctx, base, head)
	if err != nil {
		return "", fmt.Errorf("limit the generated notes to %s: %w", ref, err)
	}
	out, res := notes.Scope(generated, func(n int) bool { return pulls[n] })
	r.p.Log.Infof("notes: %d of %d pull requests kept, those whose commits change paths of %s (%d of the %d commits from %s to %s change them)",
		res.Kept, res.Kept+res.Left, ref, touching, read, base, head)
	if read < total {
		r.warn("%s...%s holds %d commits; only the newest %d were read for %s, so a pull request whose commits are all older is left out of the notes", base, head, total, read, ref)
	}
	return out, nil
}

// notesHead is the commit the notes end at, from the tag as prepareTag read
// it: the commit move_tag moves it to, else the tag when it exists, else the
// commit the tag will be made from ("" when none is known).
func (r *run) notesHead() string {
	switch {
	case r.tag.move != "":
		return r.tag.move
	case r.tag.exists:
		return r.j.Tag
	}
	return r.target()
}

// pullsTouching returns the merged pull requests of the newest
// maxPathCommits commits between base and head that change a path of
// notes_paths, how many of the commits read change one, how many were read,
// and how many there are in all.
func (r *run) pullsTouching(ctx context.Context, base, head string) (pulls map[int]bool, touching, read, total int, err error) {
	gh := r.p.GH
	shas, total, err := gh.CommitsBetween(ctx, base, head, 1, pathCommitsPage)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	from := max(total-maxPathCommits, 0) // the index of the oldest commit read
	var commits []string
	add := func(page int, got []string) {
		for i, sha := range got {
			if (page-1)*pathCommitsPage+i >= from {
				commits = append(commits, sha)
			}
		}
	}
	add(1, shas)
	last := (total + pathCommitsPage - 1) / pathCommitsPage
	for page := max(2, from/pathCommitsPage+1); page <= last; page++ {
		got, _, err := gh.CommitsBetween(ctx, base, head, page, pathCommitsPage)
		if err != nil {
			return nil, 0, 0, 0, err
		}
		if len(got) == 0 {
			break
		}
		add(page, got)
	}
	commits = commits[:min(len(commits), maxPathCommits)]
	// Each commit is two or more reads; pathReaders of them at a time.
	pulls = map[int]bool{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(pathReaders)
	for _, sha := range commits {
		g.Go(func() error {
			ok, err := r.touches(gctx, sha)
			if err != nil || !ok {
				return err
			}
			nums, err := gh.MergedPulls(gctx, sha)
			if err != nil {
				return fmt.Errorf("pull requests of commit %s: %w", sha, err)
			}
			mu.Lock()
			defer mu.Unlock()
			touching++
			for _, n := range nums {
				pulls[n] = true
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, 0, 0, 0, err
	}
	return pulls, touching, len(commits), max(total, len(commits)), nil
}

// touches tells whether commit sha changes a path notes_paths matches,
// reading its files a page at a time until one matches.
func (r *run) touches(ctx context.Context, sha string) (bool, error) {
	for page := 1; page <= maxCommitFilePgs; page++ {
		files, err := r.p.GH.CommitFiles(ctx, sha, page)
		if err != nil {
			return false, fmt.Errorf("files of commit %s: %w", sha, err)
		}
		if slices.ContainsFunc(files, r.j.matchesNotesPath) {
			return true, nil
		}
		if len(files) < CommitFilesPerPage {
			return false, nil
		}
	}
	return false, nil
}

// matchesNotesPath tells whether a path matches a pattern of notes_paths.
func (j *Job) matchesNotesPath(path string) bool {
	return slices.ContainsFunc(j.NotesPaths, func(p string) bool {
		ok, _ := doublestar.Match(p, path) // patterns are checked by the parser
		return ok
	})
}
