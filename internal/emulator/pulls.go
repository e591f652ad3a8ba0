package emulator

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// history is what generated notes and notes limited to paths read besides
// the commit graph: merged pull requests, and the files each commit changed.
type history struct {
	pulls []*gitPull          // by number
	files map[string][]string // commit SHA → paths it changed
	// renamed: commit SHA → a path it changed → the path the file had
	// before, when the commit renamed it (SeedRename).
	renamed map[string]map[string]string
}

type gitPull struct {
	number  int
	title   string
	author  string
	commits []string // the commits it brought; the last is its merge commit
}

// SeedPull describes a merged pull request put in place by a test.
type SeedPull struct {
	Number  int    // 0 = the next free number
	Title   string // such as "feat(api): add a flag"
	Author  string // login; "" = octocat
	Commits []string
}

// SeedPull records a merged pull request whose commits (already seeded, the
// merge commit last) entered the history; it returns its number. It panics
// on an unknown commit or a number taken.
func (g *Git) SeedPull(repo string, p SeedPull) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	return r.addPull(p)
}

func (r *gitRepo) addPull(p SeedPull) int {
	if len(p.Commits) == 0 {
		panic("emulator: a pull request needs at least its merge commit")
	}
	for _, c := range p.Commits {
		r.mustCommit(c)
	}
	if p.Number == 0 {
		p.Number = 1
		for _, q := range r.pulls {
			p.Number = max(p.Number, q.number+1)
		}
	}
	for _, q := range r.pulls {
		if q.number == p.Number {
			panic(fmt.Sprintf("emulator: pull request #%d is already seeded", p.Number))
		}
	}
	if p.Author == "" {
		p.Author = "octocat"
	}
	r.pulls = append(r.pulls, &gitPull{number: p.Number, title: p.Title, author: p.Author, commits: slices.Clone(p.Commits)})
	sort.Slice(r.pulls, func(i, j int) bool { return r.pulls[i].number < r.pulls[j].number })
	return p.Number
}

// SeedCommitFiles records the paths a seeded commit changed, which the
// single-commit endpoint lists.
func (g *Git) SeedCommitFiles(repo, sha string, paths ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	r.mustCommit(sha)
	r.addFiles(sha, paths...)
}

// addFiles records paths as changed by commit sha, each once.
func (r *gitRepo) addFiles(sha string, paths ...string) {
	if r.files == nil {
		r.files = map[string][]string{}
	}
	for _, p := range paths {
		if !slices.Contains(r.files[sha], p) {
			r.files[sha] = append(r.files[sha], p)
		}
	}
}

// SeedRename records that seeded commit sha moved the file at from to to:
// GitHub lists it once, under to, with status "renamed" and from as its
// previous_filename.
func (g *Git) SeedRename(repo, sha, from, to string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	r.mustCommit(sha)
	r.addFiles(sha, to)
	if r.renamed == nil {
		r.renamed = map[string]map[string]string{}
	}
	if r.renamed[sha] == nil {
		r.renamed[sha] = map[string]string{}
	}
	r.renamed[sha][to] = from
}

// MergePull is a pull request merged on the default branch the short way: one
// new commit on the branch's head changing paths, which is the pull request's
// merge commit. It returns the commit and the pull request's number.
func (g *Git) MergePull(repo, title, author string, paths ...string) (sha string, number int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	head := r.refs["refs/heads/"+r.defaultBranch]
	sha = CommitSHA(strings.ToLower(repo) + " merge " + strconv.Itoa(len(r.order)) + " " + title)
	r.addCommit(sha, []string{head}, title, g.stamp())
	r.refs["refs/heads/"+r.defaultBranch] = sha
	r.addFiles(sha, paths...)
	return sha, r.addPull(SeedPull{Title: title, Author: author, Commits: []string{sha}})
}

// hasPulls tells whether the repository has seeded pull requests.
func (g *Git) hasPulls(repo string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	return r != nil && len(r.pulls) > 0
}

// mergedBetween returns the pull requests whose merge commit is reachable
// from head and not from base ("" = nothing excluded), in the order of their
// merge commits, and for each whether it is its author's first (the author's
// lowest-numbered pull request). head and base are refs or commits; ok is
// false when head cannot be resolved.
func (g *Git) mergedBetween(repo, base, head string) (pulls []*gitPull, first map[int]bool, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		return nil, nil, false
	}
	h, ok := r.resolveSide(head)
	if !ok {
		return nil, nil, false
	}
	in, out := r.ancestors(h), map[string]bool{}
	if b, okB := r.resolveSide(base); base != "" && okB {
		out = r.ancestors(b)
	}
	first = map[int]bool{}
	seen := map[string]bool{}
	for _, p := range r.pulls { // by number
		if !seen[p.author] {
			seen[p.author], first[p.number] = true, true
		}
		m := p.commits[len(p.commits)-1]
		if in[m] && !out[m] {
			pulls = append(pulls, p)
		}
	}
	sort.SliceStable(pulls, func(i, j int) bool {
		return r.order[pulls[i].commits[len(pulls[i].commits)-1]] < r.order[pulls[j].commits[len(pulls[j].commits)-1]]
	})
	return pulls, first, true
}

// pullNotes renders GitHub's generated notes for the seeded pull requests
// merged between prev and head: "## What's Changed" with one line "* TITLE by
// @USER in URL" each, "## New Contributors" for first contributions, and the
// Full Changelog line; "" when head is unknown.
func (g *Git) pullNotes(web, repo, prev, head, full string) string {
	pulls, first, ok := g.mergedBetween(repo, prev, head)
	if !ok {
		return ""
	}
	var b strings.Builder
	if len(pulls) > 0 {
		b.WriteString("## What's Changed\n")
		for _, p := range pulls {
			fmt.Fprintf(&b, "* %s by @%s in %s/pull/%d\n", p.title, p.author, web, p.number)
		}
		b.WriteString("\n")
		var newcomers []string
		for _, p := range pulls {
			if first[p.number] {
				newcomers = append(newcomers, fmt.Sprintf("* @%s made their first contribution in %s/pull/%d\n", p.author, web, p.number))
			}
		}
		if len(newcomers) > 0 {
			b.WriteString("## New Contributors\n" + strings.Join(newcomers, "") + "\n")
		}
	}
	b.WriteString("**Full Changelog**: " + full)
	return b.String()
}
