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
	if len(out.Commits) > perPage {
		return nil, 0, fmt.Errorf("compare %s...%s: %d commits on a page of %d", base, head, len(out.Commits), perPage)
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
	if len(out.Files) > publish.CommitFilesPerPage {
		return nil, fmt.Errorf("commit %s: %d files on a page of %d", sha, len(out.Files), publish.CommitFilesPerPage)
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
// answers few, so one page of 100 is all of them.
// https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit
func (c *Client) MergedPulls(ctx context.Context, sha string) ([]int, error) {
	var out []struct {
		Number   int     `json:"number"`
		MergedAt *string `json:"merged_at"`
	}
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("commits/%s/pulls?per_page=100", url.PathEscape(sha)), nil, &out); err != nil {
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
