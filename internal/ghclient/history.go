package ghclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/releasekit/release-action/internal/publish"
)

// CommitsBetween reads one page of a comparison's commits, oldest first, and
// how many commits it has in all.
// https://docs.github.com/en/rest/commits/commits#compare-two-commits
func (c *Client) CommitsBetween(ctx context.Context, base, head string, page, perPage int) ([]string, int, error) {
	var out struct {
		TotalCommits int `json:"total_commits"`
		Commits      []struct {
			SHA string `json:"sha"`
		} `json:"commits"`
	}
	path := c.repoPath("compare/%s...%s?per_page=%d&page=%d", url.PathEscape(base), url.PathEscape(head), perPage, page)
	if _, err := c.call(ctx, http.MethodGet, path, nil, &out); err != nil {
		return nil, 0, err
	}
	if err := pageFits("compare "+base+"..."+head, "commits", len(out.Commits), perPage); err != nil {
		return nil, 0, err
	}
	shas := make([]string, 0, len(out.Commits))
	for _, cm := range out.Commits {
		shas = append(shas, cm.SHA)
	}
	return shas, out.TotalCommits, nil
}

// CommitFiles reads one page of the files a commit changed.
// https://docs.github.com/en/rest/commits/commits#get-a-commit
func (c *Client) CommitFiles(ctx context.Context, sha string, page int) ([]string, error) {
	var out struct {
		Files []struct {
			Filename         string `json:"filename"`
			PreviousFilename string `json:"previous_filename"`
		} `json:"files"`
	}
	path := c.repoPath("commits/%s?per_page=%d&page=%d", url.PathEscape(sha), publish.CommitFilesPerPage, page)
	if _, err := c.call(ctx, http.MethodGet, path, nil, &out); err != nil {
		return nil, err
	}
	if err := pageFits("commit "+sha, "files", len(out.Files), publish.CommitFilesPerPage); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range out.Files {
		paths = append(paths, f.Filename)
		if f.PreviousFilename != "" {
			paths = append(paths, f.PreviousFilename)
		}
	}
	return paths, nil
}

// MergedPulls lists the merged pull requests that brought a commit: GitHub
// answers few, so one page of pullsPerPage is all of them.
// https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit
func (c *Client) MergedPulls(ctx context.Context, sha string) ([]int, error) {
	var out []struct {
		Number   int     `json:"number"`
		MergedAt *string `json:"merged_at"`
	}
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("commits/%s/pulls?per_page=%d", url.PathEscape(sha), pullsPerPage), nil, &out); err != nil {
		return nil, err
	}
	if err := pageFits("commit "+sha, "pull requests", len(out), pullsPerPage); err != nil {
		return nil, err
	}
	var nums []int
	for _, p := range out {
		if p.MergedAt != nil && p.Number > 0 {
			nums = append(nums, p.Number)
		}
	}
	return nums, nil
}

// pullsPerPage is the page of a commit's pull requests asked for.
const pullsPerPage = 100

// pageFits refuses a page longer than the per_page asked for: GitHub never
// sends one, so the answer is not GitHub's, and what it lists cannot be told
// from what it invented.
func pageFits(what, items string, n, asked int) error {
	if n > asked {
		return fmt.Errorf("%s: %d %s on a page of %d; GitHub sends at most what per_page asks", what, n, items, asked)
	}
	return nil
}
