package publish

import (
	"context"
	"errors"
)

// GitObject is what a git reference points at: a commit, or for an annotated
// tag the tag object.
// https://docs.github.com/en/rest/git/refs#get-a-reference
type GitObject struct {
	Type string `json:"type"` // "commit" or "tag"
	SHA  string `json:"sha"`
}

// TagObject is an annotated tag.
// https://docs.github.com/en/rest/git/tags#get-a-tag
type TagObject struct {
	Tag     string    `json:"tag"`
	SHA     string    `json:"sha"`
	Message string    `json:"message"`
	Object  GitObject `json:"object"` // the tagged commit
}

// Comparison is how head relates to base in the commit graph.
// https://docs.github.com/en/rest/commits/commits#compare-two-commits
type Comparison struct {
	// Status is "ahead" (head descends from base), "behind", "identical" or
	// "diverged"; two commits without common history are "diverged" too.
	Status   string `json:"status"`
	AheadBy  int    `json:"ahead_by"`
	BehindBy int    `json:"behind_by"`
}

// GitRefs is what the publisher needs from the git database API: reading a
// tag, its message, and moving it. It is part of GitHub.
type GitRefs interface {
	// GetRef returns what ref ("tags/NAME" or "heads/NAME") points at; found is
	// false when the reference does not exist.
	GetRef(ctx context.Context, ref string) (obj GitObject, found bool, err error)
	// GetTagObject returns an annotated tag by its object SHA.
	GetTagObject(ctx context.Context, sha string) (*TagObject, error)
	// UpdateRef moves the tag to the commit sha. Without force GitHub refuses a
	// move that is not a fast forward: the error then matches ErrNotFastForward.
	UpdateRef(ctx context.Context, tag, sha string, force bool) (GitObject, error)
	// Compare relates head to base (commit SHAs).
	Compare(ctx context.Context, base, head string) (*Comparison, error)
	// MatchingTags lists the names of the tags that start with prefix
	// ("" lists every tag), in any order (prevtag.go).
	MatchingTags(ctx context.Context, prefix string) ([]string, error)
}

// ErrNotFastForward matches GitHub's refusal to move a reference to a commit
// that does not descend from the one it points at.
var ErrNotFastForward = errors.New("not a fast forward")
