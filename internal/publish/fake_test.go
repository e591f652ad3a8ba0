package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
)

// fakeGitHub is an in-memory GitHub for the lifecycle's unit tests. It keeps to
// the platform's rules that the lifecycle depends on: get-by-tag never returns a
// draft, several drafts may share a tag, creating or publishing a release whose
// tag a published release holds answers 422 already_exists, so does uploading a
// name the release already has, and IDs only grow, so the oldest draft has the
// lowest ID. It is safe for concurrent runs.
type fakeGitHub struct {
	mu       sync.Mutex
	seq      int64
	releases []*Release         // in creation order
	assets   map[int64][]*Asset // by release ID
	content  map[int64][]byte   // by asset ID
	latest   int64              // ID of the release marked latest
	notes    string             // what GenerateNotes answers
	git      fakeGit            // tags and commits (fakegit_test.go)
	calls    []string           // method names, in order
	// fail makes the named method answer the error instead of working; with
	// failOn set for it, only on those calls (counted from 1).
	fail   map[string]error
	failOn map[string][]int
	n      map[string]int
	// lostCreates is how many creates land but answer ErrAnswerLost; onLost,
	// when set, runs as each answer is lost.
	lostCreates int
	onLost      func()
	// brokenUploads is how many uploads leave a "starter" asset and fail.
	brokenUploads int
	// afterCreate runs, unlocked, after each CreateRelease: a competing run's
	// create lands there.
	afterCreate func()
	// afterUpload runs, locked, after each UploadAsset.
	afterUpload func()
	// attestations are the bundles CreateAttestation stored, in order.
	attestations [][]byte
	// before runs, unlocked, as UploadAsset, GetAsset, UpdateAsset and DeleteAsset are
	// called, with the method's name: another run acts there.
	before func(method string)
}

// hook runs f.before, if set, for a call of method.
func (f *fakeGitHub) hook(method string) {
	if f.before != nil {
		f.before(method)
	}
}

func newFake() *fakeGitHub {
	return &fakeGitHub{assets: map[int64][]*Asset{}, content: map[int64][]byte{}, fail: map[string]error{}, git: newFakeGit(),
		failOn: map[string][]int{}, n: map[string]int{}}
}

func notFound(what string) error {
	return &APIError{Method: "GET", URL: what, Status: 404, Message: "Not Found"}
}

func alreadyExists(resource, field string) error {
	return &APIError{Method: "POST", URL: resource, Status: 422, Message: "Validation Failed",
		Errors: []FieldError{{Resource: resource, Field: field, Code: "already_exists"}}}
}

// call records a call and returns the injected failure, if any; it holds f.mu.
func (f *fakeGitHub) call(name string) error {
	f.calls = append(f.calls, name)
	f.n[name]++
	if on, ok := f.failOn[name]; ok && !slices.Contains(on, f.n[name]) {
		return nil
	}
	return f.fail[name]
}

// errLost is what the adapter answers for a create whose answer was lost.
var errLost = fmt.Errorf("POST releases: no answer: connection reset: %w", ErrAnswerLost)

// addRelease stores a release as the platform would create it and returns the
// stored one; it holds f.mu.
func (f *fakeGitHub) addRelease(r Release) *Release {
	f.seq++
	r.ID = f.seq
	r.HTMLURL = fmt.Sprintf("https://github.test/o/r/releases/%d", r.ID)
	c := r
	f.releases = append(f.releases, &c)
	return &c
}

// seed adds a release directly, as an earlier run would have left it, and
// returns a copy, as a client would hold it.
func (f *fakeGitHub) seed(r Release) *Release {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := *f.addRelease(r)
	return &c
}

// seedAsset adds an asset with content to a release.
func (f *fakeGitHub) seedAsset(releaseID int64, name, content string) *Asset {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.storeAsset(releaseID, name, "", []byte(content))
}

func (f *fakeGitHub) storeAsset(releaseID int64, name, label string, b []byte) *Asset {
	f.seq++
	sum := sha256.Sum256(b)
	a := &Asset{ID: f.seq, Name: name, Label: label, State: "uploaded", Size: int64(len(b)), Digest: "sha256:" + hex.EncodeToString(sum[:])}
	f.assets[releaseID] = append(f.assets[releaseID], a)
	f.content[a.ID] = b
	return a
}

func (f *fakeGitHub) find(id int64) *Release {
	for _, r := range f.releases {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (f *fakeGitHub) publishedTag(tag string, except int64) bool {
	for _, r := range f.releases {
		if r.TagName == tag && !r.Draft && r.ID != except {
			return true
		}
	}
	return false
}

// snapshot returns copies of every release, for assertions.
func (f *fakeGitHub) snapshot() []Release {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Release
	for _, r := range f.releases {
		out = append(out, *r)
	}
	return out
}

func (f *fakeGitHub) assetNames(releaseID int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, a := range f.assets[releaseID] {
		out = append(out, a.Name)
	}
	slices.Sort(out)
	return out
}

func (f *fakeGitHub) callsOf(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == name {
			n++
		}
	}
	return n
}

func (f *fakeGitHub) ReleaseByTag(_ context.Context, tag string) (*Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ReleaseByTag"); err != nil {
		return nil, err
	}
	for _, r := range f.releases {
		if r.TagName == tag && !r.Draft {
			c := *r
			return &c, nil
		}
	}
	return nil, notFound("releases/tags/" + tag)
}

func (f *fakeGitHub) ListReleases(context.Context) ([]*Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ListReleases"); err != nil {
		return nil, err
	}
	var out []*Release
	for i := len(f.releases) - 1; i >= 0; i-- { // newest first, as GitHub lists them
		c := *f.releases[i]
		out = append(out, &c)
	}
	return out, nil
}

func (f *fakeGitHub) GetRelease(_ context.Context, id int64) (*Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("GetRelease"); err != nil {
		return nil, err
	}
	if r := f.find(id); r != nil {
		c := *r
		return &c, nil
	}
	return nil, notFound(fmt.Sprint("releases/", id))
}

func (f *fakeGitHub) LatestRelease(context.Context) (*Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("LatestRelease"); err != nil {
		return nil, err
	}
	if r := f.find(f.latest); r != nil {
		c := *r
		return &c, nil
	}
	return nil, notFound("releases/latest")
}

func (f *fakeGitHub) CreateRelease(_ context.Context, fs ReleaseFields) (*Release, error) {
	rel, err := f.create(fs)
	if err == nil && f.afterCreate != nil {
		f.afterCreate()
	}
	return rel, err
}

func (f *fakeGitHub) create(fs ReleaseFields) (*Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("CreateRelease"); err != nil {
		return nil, err
	}
	if f.publishedTag(*fs.TagName, 0) {
		return nil, alreadyExists("Release", "tag_name")
	}
	var r Release
	apply(&r, fs)
	if !r.Draft {
		if err := f.git.tagFor(r.TagName, r.TargetCommitish); err != nil {
			return nil, err
		}
	}
	c := *f.addRelease(r)
	if f.lostCreates > 0 {
		f.lostCreates--
		if f.onLost != nil {
			f.onLost()
		}
		return nil, errLost
	}
	return &c, nil
}

// apply writes the fields a create or an update sets.
func apply(r *Release, fs ReleaseFields) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&r.TagName, fs.TagName)
	set(&r.TargetCommitish, fs.TargetCommitish)
	set(&r.Name, fs.Name)
	set(&r.Body, fs.Body)
	if fs.Draft != nil {
		r.Draft = *fs.Draft
	}
	if fs.Prerelease != nil {
		r.Prerelease = *fs.Prerelease
	}
}

func (f *fakeGitHub) UpdateRelease(_ context.Context, id int64, fs ReleaseFields) (*Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("UpdateRelease"); err != nil {
		return nil, err
	}
	r := f.find(id)
	if r == nil {
		return nil, notFound(fmt.Sprint("releases/", id))
	}
	if fs.Draft != nil && !*fs.Draft && r.Draft && f.publishedTag(r.TagName, r.ID) {
		return nil, alreadyExists("Release", "tag_name")
	}
	if fs.Draft != nil && !*fs.Draft && r.Draft {
		next := *r
		apply(&next, fs)
		if err := f.git.tagFor(next.TagName, next.TargetCommitish); err != nil {
			return nil, err
		}
	}
	apply(r, fs)
	if !r.Draft && !r.Prerelease && (fs.MakeLatest == nil || *fs.MakeLatest != "false") {
		f.latest = r.ID
	}
	c := *r
	return &c, nil
}

func (f *fakeGitHub) DeleteRelease(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("DeleteRelease"); err != nil {
		return err
	}
	i := slices.IndexFunc(f.releases, func(r *Release) bool { return r.ID == id })
	if i < 0 {
		return notFound(fmt.Sprint("releases/", id))
	}
	f.releases = slices.Delete(f.releases, i, i+1)
	delete(f.assets, id)
	return nil
}

func (f *fakeGitHub) GenerateNotes(context.Context, NotesRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("GenerateNotes"); err != nil {
		return "", err
	}
	return f.notes, nil
}

func (f *fakeGitHub) ListAssets(_ context.Context, releaseID int64) ([]*Asset, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ListAssets"); err != nil {
		return nil, err
	}
	var out []*Asset
	for _, a := range f.assets[releaseID] {
		c := *a
		out = append(out, &c)
	}
	return out, nil
}

func (f *fakeGitHub) UploadAsset(_ context.Context, rel *Release, u UploadRequest) (*Asset, error) {
	f.hook("UploadAsset")
	b, err := os.ReadFile(u.Path)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("UploadAsset"); err != nil {
		return nil, err
	}
	if f.find(rel.ID) == nil {
		return nil, notFound(fmt.Sprint("releases/", rel.ID, "/assets"))
	}
	for _, a := range f.assets[rel.ID] {
		if a.Name == u.Name {
			return nil, alreadyExists("ReleaseAsset", "name")
		}
	}
	if sum := sha256.Sum256(b); u.SHA256 != "" && hex.EncodeToString(sum[:]) != u.SHA256 {
		return nil, fmt.Errorf("upload %s: the file changed after it was planned", u.Name)
	}
	c := *f.storeAsset(rel.ID, u.Name, u.Label, b)
	if f.brokenUploads > 0 {
		f.brokenUploads--
		f.assets[rel.ID][len(f.assets[rel.ID])-1].State = "starter"
		return nil, &APIError{Method: "POST", URL: "assets", Status: 502, Message: "Bad Gateway", Retryable: true}
	}
	if f.afterUpload != nil {
		f.afterUpload()
	}
	return &c, nil
}

func (f *fakeGitHub) asset(id int64) (*Asset, int64) {
	for rel, list := range f.assets {
		for _, a := range list {
			if a.ID == id {
				return a, rel
			}
		}
	}
	return nil, 0
}

func (f *fakeGitHub) GetAsset(_ context.Context, releaseID, id int64) (*Asset, error) {
	f.hook("GetAsset")
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("GetAsset"); err != nil {
		return nil, err
	}
	a, rel := f.asset(id)
	if a == nil {
		return nil, notFound(fmt.Sprint("assets/", id))
	}
	if rel != releaseID {
		return nil, fmt.Errorf("asset %d is on release %d, not %d", id, rel, releaseID)
	}
	c := *a
	return &c, nil
}

func (f *fakeGitHub) UpdateAsset(_ context.Context, id int64, name, label *string) (*Asset, error) {
	f.hook("UpdateAsset")
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("UpdateAsset"); err != nil {
		return nil, err
	}
	a, rel := f.asset(id)
	if a == nil {
		return nil, notFound(fmt.Sprint("assets/", id))
	}
	if name != nil && *name != a.Name {
		for _, o := range f.assets[rel] {
			if o.Name == *name {
				return nil, alreadyExists("ReleaseAsset", "name")
			}
		}
	}
	if name != nil {
		a.Name = *name
	}
	if label != nil {
		a.Label = *label
	}
	c := *a
	return &c, nil
}

func (f *fakeGitHub) DeleteAsset(_ context.Context, id int64) error {
	f.hook("DeleteAsset")
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("DeleteAsset"); err != nil {
		return err
	}
	a, rel := f.asset(id)
	if a == nil {
		return notFound(fmt.Sprint("assets/", id))
	}
	f.assets[rel] = slices.DeleteFunc(f.assets[rel], func(x *Asset) bool { return x.ID == id })
	return nil
}

func (f *fakeGitHub) DownloadAsset(_ context.Context, id, size int64) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("DownloadAsset"); err != nil {
		return nil, err
	}
	b, ok := f.content[id]
	if !ok {
		return nil, notFound(fmt.Sprint("assets/", id))
	}
	if int64(len(b)) != size {
		// The adapter's reader fails on an answer of another length than asked.
		return nil, fmt.Errorf("download asset %d: the answer has %d bytes, the asset %d", id, len(b), size)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

var _ GitHub = (*fakeGitHub)(nil)

// CreateAttestation stores a bundle (AttestationStore).
func (f *fakeGitHub) CreateAttestation(_ context.Context, bundle []byte) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("CreateAttestation"); err != nil {
		return 0, err
	}
	f.attestations = append(f.attestations, slices.Clone(bundle))
	return int64(len(f.attestations)), nil
}
