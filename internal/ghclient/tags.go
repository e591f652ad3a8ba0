package ghclient

import (
	"context"
	"strings"
)

// MatchingTags lists the tags whose names start with prefix, through the
// references that start with "refs/tags/" + prefix. The path loses a trailing
// "/" of the prefix, so GitHub may answer more than asked ("tags/api" also
// matches api-v1.0.0); only the names that start with the prefix are kept, and
// anything outside refs/tags/ is not a tag.
// https://docs.github.com/en/rest/git/refs#list-matching-references
func (c *Client) MatchingTags(ctx context.Context, prefix string) ([]string, error) {
	ref := "tags"
	if p := strings.TrimRight(prefix, "/"); p != "" {
		ref += "/" + p
	}
	refs, err := listAll[struct {
		Ref string `json:"ref"`
	}](ctx, c, c.repoPath("git/matching-refs/%s", refPath(ref)))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range refs {
		if name, ok := strings.CutPrefix(r.Ref, "refs/tags/"); ok && strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	return out, nil
}
