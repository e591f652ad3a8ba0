package publish

import "context"

// History is what notes limited to paths (notes_paths, notespaths.go) read of
// the repository's history. It is part of GitHub.
type History interface {
	// CommitsBetween lists one page (from 1) of the commits of head that base
	// lacks, oldest first, perPage at most, and how many there are in all.
	// https://docs.github.com/en/rest/commits/commits#compare-two-commits
	CommitsBetween(ctx context.Context, base, head string, page, perPage int) (shas []string, total int, err error)
	// CommitFiles lists one page (from 1) of the paths commit sha changed
	// (a renamed file under both names), CommitFilesPerPage at most.
	// https://docs.github.com/en/rest/commits/commits#get-a-commit
	CommitFiles(ctx context.Context, sha string, page int) ([]string, error)
	// MergedPulls lists the numbers of the merged pull requests that brought
	// commit sha (GitHub lists open ones too; they are left out).
	// https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit
	MergedPulls(ctx context.Context, sha string) ([]int, error)
}

// CommitFilesPerPage is how many files of a commit one answer of GitHub's
// lists; it lists 3,000 at most in all.
const CommitFilesPerPage = 300
