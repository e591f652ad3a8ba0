package publish

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
)

// fakeGit is the fake's git data, kept under fakeGitHub.mu. It behaves like
// GitHub where the lifecycle depends on it: publishing a release creates its
// tag at target_commitish (a branch's head or a commit) or at the default
// branch's head, at publish time, unless the tag exists; a tag held by a
// published immutable release never moves; a move that is not a fast forward
// needs force; two commits without common history compare as "diverged".
type fakeGit struct {
	parents  map[string][]string   // commit → parents
	branches map[string]string     // branch → commit; "main" is the default
	tags     map[string]string     // tag → commit, or tag object SHA
	objects  map[string]*TagObject // annotated tags by object SHA
}

func newFakeGit() fakeGit {
	root := sha("root")
	return fakeGit{
		parents:  map[string][]string{root: nil},
		branches: map[string]string{"main": root},
		tags:     map[string]string{},
		objects:  map[string]*TagObject{},
	}
}

// sha names a test commit.
func sha(name string) string {
	sum := sha1.Sum([]byte(name))
	return hex.EncodeToString(sum[:])
}

// commit adds a commit with parents (none: a new root) and returns its SHA.
func (f *fakeGitHub) commit(name string, parents ...string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := sha(name)
	f.git.parents[s] = parents
	return s
}

func (f *fakeGitHub) setBranch(branch, commit string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.git.branches[branch] = commit
}

func (f *fakeGitHub) setTag(tag, commit string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.git.tags[tag] = commit
}

func (f *fakeGitHub) setAnnotatedTag(tag, commit, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := &TagObject{Tag: tag, SHA: sha("tag " + tag), Message: message, Object: GitObject{Type: "commit", SHA: commit}}
	f.git.objects[o.SHA] = o
	f.git.tags[tag] = o.SHA
}

// tagCommit returns the commit a tag is on, "" when it does not exist.
func (f *fakeGitHub) tagCommit(tag string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.git.peel(f.git.tags[tag])
}

func (g *fakeGit) peel(s string) string {
	if o := g.objects[s]; o != nil {
		return o.Object.SHA
	}
	return s
}

// tagFor is what publishing does to git; it holds f.mu.
func (g *fakeGit) tagFor(tag, target string) error {
	if _, ok := g.tags[tag]; ok {
		return nil
	}
	if target == "" {
		target = "main"
	}
	c, ok := g.branches[target]
	if !ok {
		if _, isCommit := g.parents[target]; !isCommit {
			return &APIError{Method: "PATCH", URL: "releases", Status: 422, Message: "Validation Failed",
				Errors: []FieldError{{Resource: "Release", Field: "target_commitish", Code: "invalid"}}}
		}
		c = target
	}
	g.tags[tag] = c
	return nil
}

func (g *fakeGit) ancestors(c string) map[string]bool {
	seen := map[string]bool{}
	for stack := []string{c}; len(stack) > 0; {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, known := g.parents[x]; !known || seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, g.parents[x]...)
	}
	return seen
}

func (f *fakeGitHub) GetRef(_ context.Context, ref string) (GitObject, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("GetRef"); err != nil {
		return GitObject{}, false, err
	}
	var s string
	var ok bool
	if tag, isTag := cutPrefix(ref, "tags/"); isTag {
		s, ok = f.git.tags[tag]
	} else if b, isBranch := cutPrefix(ref, "heads/"); isBranch {
		s, ok = f.git.branches[b]
	}
	if !ok {
		return GitObject{}, false, nil
	}
	if f.git.objects[s] != nil {
		return GitObject{Type: "tag", SHA: s}, true, nil
	}
	return GitObject{Type: "commit", SHA: s}, true, nil
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return "", false
}

func (f *fakeGitHub) GetTagObject(_ context.Context, s string) (*TagObject, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("GetTagObject"); err != nil {
		return nil, err
	}
	o := f.git.objects[s]
	if o == nil {
		return nil, notFound("git/tags/" + s)
	}
	c := *o
	return &c, nil
}

func (f *fakeGitHub) UpdateRef(_ context.Context, tag, s string, force bool) (GitObject, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("UpdateRef"); err != nil {
		return GitObject{}, err
	}
	old, ok := f.git.tags[tag]
	unprocessable := func(msg string) error {
		return &APIError{Method: "PATCH", URL: "git/refs/tags/" + tag, Status: 422, Message: msg}
	}
	switch _, known := f.git.parents[s]; {
	case !ok:
		return GitObject{}, unprocessable("Reference does not exist")
	case !known:
		return GitObject{}, unprocessable("Object does not exist")
	}
	for _, r := range f.releases {
		if r.TagName == tag && r.Immutable && !r.Draft && s != old {
			return GitObject{}, unprocessable("Cannot update tag " + tag + ": it belongs to an immutable release")
		}
	}
	if !force && !f.git.ancestors(s)[f.git.peel(old)] {
		return GitObject{}, fmt.Errorf("%w: %w", ErrNotFastForward, unprocessable("Update is not a fast forward"))
	}
	f.git.tags[tag] = s
	return GitObject{Type: "commit", SHA: s}, nil
}

func (f *fakeGitHub) MatchingTags(_ context.Context, prefix string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("MatchingTags"); err != nil {
		return nil, err
	}
	var out []string
	for tag := range f.git.tags {
		if strings.HasPrefix(tag, prefix) {
			out = append(out, tag)
		}
	}
	return out, nil
}

func (f *fakeGitHub) Compare(_ context.Context, base, head string) (*Comparison, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Compare"); err != nil {
		return nil, err
	}
	_, okBase := f.git.parents[base]
	_, okHead := f.git.parents[head]
	if !okBase || !okHead {
		return nil, notFound("compare/" + base + "..." + head)
	}
	inBase, inHead := f.git.ancestors(base), f.git.ancestors(head)
	c := &Comparison{}
	common := false
	for x := range inHead {
		if inBase[x] {
			common = true
		} else {
			c.AheadBy++
		}
	}
	for x := range inBase {
		if !inHead[x] {
			c.BehindBy++
		}
	}
	switch {
	case !common, c.AheadBy > 0 && c.BehindBy > 0:
		c.Status = "diverged"
	case c.AheadBy > 0:
		c.Status = "ahead"
	case c.BehindBy > 0:
		c.Status = "behind"
	default:
		c.Status = "identical"
	}
	return c, nil
}
