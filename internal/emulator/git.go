package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Git is the emulator's model of the git data behind its repositories: a commit
// graph, branch and tag references, and annotated tag objects, with the REST
// endpoints that read and move them (git_handlers.go). It follows
// https://docs.github.com/en/rest/git/refs, .../git/tags and
// .../commits/commits#compare-two-commits.
//
// It keeps its own lock and never calls into the Server, so release code may
// call it while holding the Server's lock (the Server's lock first, then Git's,
// never the other way round).
//
// Every repository starts like one created with a README: a single root commit
// on its default branch "main", so a release can be published without seeding a
// graph first.
type Git struct {
	layout Layout
	now    func() time.Time

	mu    sync.Mutex
	repos map[string]*gitRepo // by lower-cased "owner/name"
	adopt bool                // take an unseen full commit SHA as a new commit (AdoptUnknownCommits)
}

// AdoptUnknownCommits makes a release whose target_commitish is a full commit
// SHA the emulator has never seen tag that SHA, as a new commit on top of the
// default branch, instead of answering 422. The emulator run by hand (and
// under act) has none of the user's history, while GITHUB_SHA, which the
// action sends as the target, always names a pushed commit on GitHub. Tests
// that check the 422 leave it off.
func (g *Git) AdoptUnknownCommits(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.adopt = on
}

// GitObject is what a reference points at: a commit, or for an annotated tag a
// tag object.
type GitObject struct {
	Type string // "commit" or "tag"
	SHA  string
}

type gitRepo struct {
	owner, name   string
	defaultBranch string
	commits       map[string]*gitCommit
	refs          map[string]string        // "refs/heads/main" → commit or tag object SHA
	tagObjects    map[string]*gitTagObject // annotated tags by their object SHA
	locked        map[string]bool          // tag names held by an immutable release
	order         map[string]int           // commit SHA → seeding order, for chronological lists
	history                                // pull requests and the files of commits (pulls.go)
}

type gitCommit struct {
	sha     string
	parents []string
	message string
	date    time.Time
}

type gitTagObject struct {
	sha, tag, message, commit string
	date                      time.Time
}

// NewGit returns an empty model whose URLs follow layout; now may be nil (time.Now).
func NewGit(layout Layout, now func() time.Time) *Git {
	if now == nil {
		now = time.Now
	}
	return &Git{layout: layout, now: now, repos: map[string]*gitRepo{}}
}

// CommitSHA derives a stable 40-hex commit SHA from a name, so tests can write
// CommitSHA("c2") instead of inventing hashes.
func CommitSHA(name string) string {
	sum := sha1.Sum([]byte("commit " + name))
	return hex.EncodeToString(sum[:])
}

func isFullSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func (g *Git) stamp() time.Time { return g.now().UTC().Truncate(time.Second) }

// AddRepo creates a repository ("owner/name") holding one root commit on "main";
// adding an existing repository changes nothing.
func (g *Git) AddRepo(fullName string) {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		panic(fmt.Sprintf("emulator: repository %q is not owner/name", fullName))
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	key := strings.ToLower(fullName)
	if g.repos[key] != nil {
		return
	}
	r := &gitRepo{
		owner: owner, name: name, defaultBranch: "main",
		commits:    map[string]*gitCommit{},
		refs:       map[string]string{},
		tagObjects: map[string]*gitTagObject{},
		locked:     map[string]bool{},
		order:      map[string]int{},
	}
	root := CommitSHA(key + " initial")
	r.addCommit(root, nil, "Initial commit", g.stamp())
	r.refs["refs/heads/main"] = root
	g.repos[key] = r
}

// InitialCommit is the root commit AddRepo creates for a repository.
func InitialCommit(fullName string) string {
	return CommitSHA(strings.ToLower(fullName) + " initial")
}

func (g *Git) mustRepo(repo string) *gitRepo {
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		panic(fmt.Sprintf("emulator: unknown git repository %q (call AddRepo first)", repo))
	}
	return r
}

func (r *gitRepo) addCommit(sha string, parents []string, msg string, date time.Time) {
	r.order[sha] = len(r.order)
	r.commits[sha] = &gitCommit{sha: sha, parents: parents, message: msg, date: date}
}

// SeedCommit adds a commit with the given parents (already seeded); it panics on
// a SHA that is not 40 lower-case hex digits, a duplicate or an unknown parent.
// Seeding order is commit order: a child's date is never before its parents'.
func (g *Git) SeedCommit(repo, sha string, parents ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	if !isFullSHA(sha) {
		panic(fmt.Sprintf("emulator: commit SHA %q is not 40 lower-case hex digits", sha))
	}
	if r.commits[sha] != nil {
		panic(fmt.Sprintf("emulator: commit %s is already seeded", sha))
	}
	for _, p := range parents {
		if r.commits[p] == nil {
			panic(fmt.Sprintf("emulator: parent %s of %s is not seeded", p, sha))
		}
	}
	r.addCommit(sha, append([]string(nil), parents...), "Commit "+sha[:7], g.stamp())
}

// SetBranchHead creates or moves a branch to a seeded commit, as a push would.
func (g *Git) SetBranchHead(repo, branch, sha string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	r.mustCommit(sha)
	r.refs["refs/heads/"+branch] = sha
}

// SetDefaultBranch names the default branch; it must exist.
func (g *Git) SetDefaultBranch(repo, branch string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	if _, ok := r.refs["refs/heads/"+branch]; !ok {
		panic(fmt.Sprintf("emulator: branch %q does not exist in %s", branch, repo))
	}
	r.defaultBranch = branch
}

// DefaultBranch names the repository's default branch ("" for an unknown one).
func (g *Git) DefaultBranch(repo string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if r := g.repos[strings.ToLower(repo)]; r != nil {
		return r.defaultBranch
	}
	return ""
}

// SeedTag creates a lightweight tag on a seeded commit (or moves it there).
func (g *Git) SeedTag(repo, tag, sha string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	r.mustCommit(sha)
	r.refs["refs/tags/"+tag] = sha
}

// SeedAnnotatedTag creates an annotated tag on a seeded commit: a tag object
// holding message, and a ref to it. It returns the tag object's SHA.
func (g *Git) SeedAnnotatedTag(repo, tag, sha, message string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	r.mustCommit(sha)
	sum := sha1.Sum([]byte("tag " + tag + "\x00" + sha + "\x00" + message))
	obj := &gitTagObject{sha: hex.EncodeToString(sum[:]), tag: tag, message: message, commit: sha, date: g.stamp()}
	r.tagObjects[obj.sha] = obj
	r.refs["refs/tags/"+tag] = obj.sha
	return obj.sha
}

func (r *gitRepo) mustCommit(sha string) {
	if r.commits[sha] == nil {
		panic(fmt.Sprintf("emulator: commit %s is not seeded in %s/%s", sha, r.owner, r.name))
	}
}

// Ref returns what a reference points at; ref is "tags/NAME", "heads/NAME" or
// the full "refs/..." form.
func (g *Git) Ref(repo, ref string) (GitObject, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		return GitObject{}, false
	}
	if !strings.HasPrefix(ref, "refs/") {
		ref = "refs/" + ref
	}
	sha, ok := r.refs[ref]
	if !ok {
		return GitObject{}, false
	}
	return r.object(sha), true
}

// TagCommit returns the commit a tag points at, through its tag object if it is
// annotated.
func (g *Git) TagCommit(repo, tag string) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		return "", false
	}
	sha, ok := r.refs["refs/tags/"+tag]
	if !ok {
		return "", false
	}
	return r.peel(sha), true
}

// BranchHead returns the commit a branch points at.
func (g *Git) BranchHead(repo, branch string) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		return "", false
	}
	sha, ok := r.refs["refs/heads/"+branch]
	return sha, ok
}

// Tags returns the repository's tag names, sorted.
func (g *Git) Tags(repo string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		return nil
	}
	var out []string
	for ref := range r.refs {
		if name, ok := strings.CutPrefix(ref, "refs/tags/"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// SetTagLocked marks a tag as held by an immutable release (the refs API then
// refuses to move it) or frees it. The release code locks the tag when it
// publishes an immutable release and frees it when that release is deleted:
// the docs lock the tag only "while the release exists".
// https://docs.github.com/en/code-security/supply-chain-security/understanding-your-software-supply-chain/immutable-releases
func (g *Git) SetTagLocked(repo, tag string, locked bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.mustRepo(repo)
	if locked {
		r.locked[tag] = true
	} else {
		delete(r.locked, tag)
	}
}

// ErrUnknownTarget is TagForRelease's answer when target_commitish names neither
// a branch nor a commit of the repository; GitHub answers such a release with
// 422 (target_commitish invalid).
var ErrUnknownTarget = errors.New("target_commitish is neither a branch nor a commit")

// TagForRelease is what GitHub does to git when a release is published (created
// non-draft, or a draft published) for a tag: if the tag exists, nothing (its
// commit is returned; target_commitish is ignored). Otherwise it creates a
// lightweight tag at target, a branch name or commit SHA, resolved now; with
// an empty target, at the head of the default branch now. That is the trap:
// a draft created while main was at the built commit, published after main
// moved on, tags the newer commit unless target_commitish was a SHA.
// created tells whether the tag was made; an unknown repository or target is an
// error and creates nothing.
func (g *Git) TagForRelease(repo, tag, target string) (commit string, created bool, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := g.repos[strings.ToLower(repo)]
	if r == nil {
		return "", false, fmt.Errorf("emulator: unknown git repository %q", repo)
	}
	if sha, ok := r.refs["refs/tags/"+tag]; ok {
		return r.peel(sha), false, nil
	}
	if target == "" {
		target = r.defaultBranch
	}
	sha, ok := r.resolveTarget(target)
	if !ok && g.adopt && isFullSHA(target) {
		r.addCommit(target, []string{r.refs["refs/heads/"+r.defaultBranch]}, "Commit "+target[:7], g.stamp())
		sha, ok = target, true
	}
	if !ok {
		return "", false, fmt.Errorf("%w: %q in %s/%s", ErrUnknownTarget, target, r.owner, r.name)
	}
	r.refs["refs/tags/"+tag] = sha
	return sha, true, nil
}

// resolveTarget reads target_commitish: a branch name, else a full or
// abbreviated (7+ digits, unambiguous) commit SHA.
func (r *gitRepo) resolveTarget(target string) (string, bool) {
	if sha, ok := r.refs["refs/heads/"+target]; ok {
		return sha, true
	}
	return r.commitByPrefix(target)
}

func (r *gitRepo) commitByPrefix(s string) (string, bool) {
	if r.commits[s] != nil {
		return s, true
	}
	if len(s) < 7 || len(s) > 40 {
		return "", false
	}
	if _, err := hex.DecodeString(s + strings.Repeat("0", len(s)%2)); err != nil {
		return "", false
	}
	found := ""
	for sha := range r.commits {
		if strings.HasPrefix(sha, strings.ToLower(s)) {
			if found != "" {
				return "", false // ambiguous
			}
			found = sha
		}
	}
	return found, found != ""
}

// object describes what a ref's SHA is.
func (r *gitRepo) object(sha string) GitObject {
	if r.tagObjects[sha] != nil {
		return GitObject{Type: "tag", SHA: sha}
	}
	return GitObject{Type: "commit", SHA: sha}
}

// peel follows a tag object to its commit.
func (r *gitRepo) peel(sha string) string {
	if t := r.tagObjects[sha]; t != nil {
		return t.commit
	}
	return sha
}

// ancestors returns sha and every commit reachable from it.
func (r *gitRepo) ancestors(sha string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{sha}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[c] || r.commits[c] == nil {
			continue
		}
		seen[c] = true
		stack = append(stack, r.commits[c].parents...)
	}
	return seen
}

// comparison is the result of comparing base with head.
type comparison struct {
	status            string
	aheadBy, behindBy int
	head, mergeBase   string
	commits           []string // in head, not in base, oldest first
}

// compare counts commits the way `git rev-list --left-right --count base...head`
// does; ok is false when the two share no history.
func (r *gitRepo) compare(base, head string) (comparison, bool) {
	inBase, inHead := r.ancestors(base), r.ancestors(head)
	c := comparison{head: head}
	var common []string
	for sha := range inHead {
		if inBase[sha] {
			common = append(common, sha)
		} else {
			c.commits = append(c.commits, sha)
		}
	}
	if len(common) == 0 {
		return c, false
	}
	for sha := range inBase {
		if !inHead[sha] {
			c.behindBy++
		}
	}
	c.aheadBy = len(c.commits)
	sort.Slice(c.commits, func(i, j int) bool { return r.order[c.commits[i]] < r.order[c.commits[j]] })
	// The merge base is the newest common ancestor; seeding order is commit order.
	sort.Slice(common, func(i, j int) bool { return r.order[common[i]] > r.order[common[j]] })
	c.mergeBase = common[0]
	switch {
	case c.aheadBy == 0 && c.behindBy == 0:
		c.status = "identical"
	case c.behindBy == 0:
		c.status = "ahead"
	case c.aheadBy == 0:
		c.status = "behind"
	default:
		c.status = "diverged"
	}
	return c, true
}
