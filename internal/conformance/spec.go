package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The npm packages this package reads, as named in conformance/package.json.
const (
	OpenAPIPackage  = "@octokit/openapi"
	FixturesPackage = "@octokit/fixtures"
)

// The descriptions the suite validates against: github.com, and the newest GitHub
// Enterprise Server edition in the pinned @octokit/openapi (a test checks that no
// newer ghes-* file is in the package, so bumping the pin forces a look here).
const (
	DotCom = "api.github.com"
	GHES   = "ghes-3.19"
)

// InstallHint is what to run when the npm packages are missing or stale.
const InstallHint = "run `npm ci --prefix conformance` at the repository root (scripts/test does it), then test again"

// releasesPaths selects the part of the description the action uses: the release
// and release asset endpoints. Everything they reference is kept (see prune).
const releasesPaths = "/repos/{owner}/{repo}/releases"

// actionPaths are every part the action calls: the releases, the git
// endpoints that read and move a tag and compare commits, and the
// immutable-releases setting.
var actionPaths = []string{
	releasesPaths,
	"/repos/{owner}/{repo}/git/ref",
	"/repos/{owner}/{repo}/git/refs",
	"/repos/{owner}/{repo}/git/tags",
	"/repos/{owner}/{repo}/compare",
	"/repos/{owner}/{repo}/immutable-releases", // github.com and GHES 3.21+ only
}

// Spec is one published description, reduced to the endpoints the action calls
// (actionPaths), with the
// description gaps of exceptions.go patched in, and a router over it.
type Spec struct {
	Name    string // DotCom or GHES
	Version string // of the @octokit/openapi package it came from
	File    string // the file it was read from
	Doc     *openapi3.T
	Router  routers.Router

	// Where the description says the API and the uploads live. Requests are routed
	// on their path with the server prefix removed (the router ignores
	// operation-level servers, and the test server's host is never GitHub's), so
	// these are kept for the layout checks instead.
	APIServer    *url.URL // e.g. https://api.github.com, http://HOSTNAME/api/v3
	UploadServer *url.URL // the upload operation's server

	// Patched lists the description patches of exceptions.go that were applied.
	Patched []string

	// multiSegment are the path templates whose last parameter is marked
	// x-multi-segment (a git ref such as "tags/pkg/v1"): the router ignores the
	// mark, so the Validator escapes that parameter's slashes before routing.
	multiSegment [][]string
}

var (
	specMu    sync.Mutex
	specCache = map[string]*specOnce{}
)

type specOnce struct {
	once sync.Once
	spec *Spec
	err  error
}

// LoadSpec reads, reduces, patches and parses one description; it does so once
// per test binary and name (the files are 10+ MB).
func LoadSpec(name string) (*Spec, error) {
	specMu.Lock()
	o := specCache[name]
	if o == nil {
		o = &specOnce{}
		specCache[name] = o
	}
	specMu.Unlock()
	o.once.Do(func() { o.spec, o.err = loadSpec(name) })
	return o.spec, o.err
}

// RawDescription returns the published description as generic JSON, reduced to
// the releases endpoints but not patched: tests use it to prove each exception
// still answers a real gap.
func RawDescription(name string) (map[string]any, error) {
	_, _, raw, err := readPruned(name, releasesPaths)
	return raw, err
}

// readPruned reads one published description as generic JSON, reduced to the
// paths under prefixes (and every component they reach).
func readPruned(name string, prefixes ...string) (file, version string, raw map[string]any, err error) {
	file, version, err = DescriptionFile(name)
	if err != nil {
		return "", "", nil, err
	}
	if raw, err = readJSON(file); err != nil {
		return "", "", nil, err
	}
	if err := prune(raw, prefixes...); err != nil {
		return "", "", nil, fmt.Errorf("%s: %w", file, err)
	}
	return file, version, raw, nil
}

func loadSpec(name string) (*Spec, error) {
	file, version, raw, err := readPruned(name, actionPaths...)
	if err != nil {
		return nil, err
	}
	s := &Spec{Name: name, Version: version, File: file}
	if s.APIServer, s.UploadServer, err = servers(raw); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for _, p := range descriptionPatches {
		if err := p.apply(raw); err != nil {
			return nil, fmt.Errorf("%s: exception %q no longer matches the description (%w); review it in exceptions.go", file, p.name, err)
		}
		s.Patched = append(s.Patched, p.name)
	}
	// Route on the path alone: the router would otherwise demand GitHub's host
	// names, and it ignores the upload operation's own server anyway. The
	// Validator removes the layout's prefix before routing and checks that each
	// operation arrived under the prefix the description's server implies.
	delete(raw, "servers")
	for _, item := range mapAt(raw, "paths") {
		for _, op := range asMap(item) {
			delete(asMap(op), "servers")
		}
		delete(asMap(item), "servers")
	}
	doc, err := loadReduced(file, raw)
	if err != nil {
		return nil, err
	}
	if s.Router, err = gorillamux.NewRouter(doc); err != nil {
		return nil, fmt.Errorf("%s: router: %w", file, err)
	}
	s.Doc = doc
	s.multiSegment = multiSegmentPaths(doc)
	return s, nil
}

// multiSegmentPaths finds the path templates whose last segment is a path
// parameter marked x-multi-segment, split into segments.
func multiSegmentPaths(doc *openapi3.T) [][]string {
	var out [][]string
	for path, item := range doc.Paths.Map() {
		segs := strings.Split(strings.Trim(path, "/"), "/")
		last := segs[len(segs)-1]
		if !strings.HasPrefix(last, "{") || !strings.HasSuffix(last, "}") {
			continue
		}
		name := last[1 : len(last)-1]
		multi := false
		for _, op := range item.Operations() {
			for _, p := range append(item.Parameters, op.Parameters...) {
				if v := p.Value; v != nil && v.In == "path" && v.Name == name && v.Extensions["x-multi-segment"] == true {
					multi = true
				}
			}
		}
		if multi {
			out = append(out, segs)
		}
	}
	return out
}

// escapeMultiSegment escapes the slashes of a multi-segment parameter in an
// escaped request path ("/repos/o/r/git/ref/tags/a/b" routes as
// ".../git/ref/tags%2Fa%2Fb"), so that the router sees one segment there.
func (s *Spec) escapeMultiSegment(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, tmpl := range s.multiSegment {
		n := len(tmpl)
		if len(segs) <= n || !segmentsMatch(tmpl[:n-1], segs[:n-1]) {
			continue
		}
		return "/" + strings.Join(segs[:n-1], "/") + "/" + strings.Join(segs[n-1:], "%2F")
	}
	return path
}

func segmentsMatch(tmpl, segs []string) bool {
	for i, t := range tmpl {
		if !strings.HasPrefix(t, "{") && t != segs[i] {
			return false
		}
	}
	return true
}

// ModuleRoot finds the directory holding go.mod, walking up from the working
// directory (a test runs in its package's directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// PackageDir returns where npm installed pkg under conformance/node_modules, after
// checking that the installed version is the one pinned in conformance/package.json.
func PackageDir(pkg string) (dir, version string, err error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", "", err
	}
	var manifest struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	pinFile := filepath.Join(root, "conformance", "package.json")
	if err := readInto(pinFile, &manifest); err != nil {
		return "", "", err
	}
	want := manifest.Dependencies[pkg]
	if want == "" {
		return "", "", fmt.Errorf("%s does not list %s", pinFile, pkg)
	}
	dir = filepath.Join(root, "conformance", "node_modules", filepath.FromSlash(pkg))
	var installed struct {
		Version string `json:"version"`
	}
	if err := readInto(filepath.Join(dir, "package.json"), &installed); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("npm package %s is not installed in %s: %s", pkg, filepath.Dir(dir), InstallHint)
		}
		return "", "", err
	}
	if installed.Version != want {
		return "", "", fmt.Errorf("npm package %s is %s in node_modules but conformance/package.json pins %s: %s", pkg, installed.Version, want, InstallHint)
	}
	return dir, want, nil
}

// DescriptionFile returns the path of a description in the installed package.
func DescriptionFile(name string) (file, version string, err error) {
	dir, version, err := PackageDir(OpenAPIPackage)
	if err != nil {
		return "", "", err
	}
	file = filepath.Join(dir, "generated", name+".json")
	if _, err := os.Stat(file); err != nil {
		return "", "", fmt.Errorf("%s %s has no description %q: %w", OpenAPIPackage, version, name, err)
	}
	return file, version, nil
}

// GHESEditions lists the ghes-* descriptions in the installed package, oldest first.
func GHESEditions() ([]string, error) {
	dir, _, err := PackageDir(OpenAPIPackage)
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "generated", "ghes-*.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		if strings.HasSuffix(base, ".deref") {
			continue
		}
		out = append(out, base)
	}
	sort.Slice(out, func(i, j int) bool { return versionLess(out[i], out[j]) })
	return out, nil
}

// versionLess orders "ghes-3.9" before "ghes-3.19".
func versionLess(a, b string) bool {
	var am, an, bm, bn int
	_, errA := fmt.Sscanf(a, "ghes-%d.%d", &am, &an)
	_, errB := fmt.Sscanf(b, "ghes-%d.%d", &bm, &bn)
	if errA != nil || errB != nil {
		return a < b
	}
	if am != bm {
		return am < bm
	}
	return an < bn
}

func readInto(file string, v any) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

func readJSON(file string) (map[string]any, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return raw, nil
}

// prune keeps the paths under the prefixes and the components they reach,
// directly or through other components; nothing reachable is dropped, so
// validation against the reduced document is validation against the published
// one. It only makes loading fast: the full descriptions hold about a thousand
// operations.
func prune(raw map[string]any, prefixes ...string) error {
	paths := mapAt(raw, "paths")
	if paths == nil {
		return errors.New("no paths")
	}
	for p := range paths {
		if !slices.ContainsFunc(prefixes, func(prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }) {
			delete(paths, p)
		}
	}
	if len(paths) == 0 {
		return fmt.Errorf("no path under %s", strings.Join(prefixes, ", "))
	}
	// Webhooks are not requests anybody sends to GitHub.
	delete(raw, "webhooks")
	delete(raw, "x-webhooks")

	comps := mapAt(raw, "components")
	keep := map[string]map[string]bool{}
	var queue []any
	queue = append(queue, paths)
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		var err error
		walkRefs(v, func(ref string) {
			kind, name, ok := componentRef(ref)
			if !ok {
				if err == nil {
					err = fmt.Errorf("unsupported $ref %q", ref)
				}
				return
			}
			if keep[kind][name] {
				return
			}
			target, found := asMap(comps[kind])[name]
			if !found {
				if err == nil {
					err = fmt.Errorf("dangling $ref %q", ref)
				}
				return
			}
			if keep[kind] == nil {
				keep[kind] = map[string]bool{}
			}
			keep[kind][name] = true
			queue = append(queue, target)
		})
		if err != nil {
			return err
		}
	}
	for kind, m := range comps {
		entries := asMap(m)
		for name := range entries {
			if !keep[kind][name] {
				delete(entries, name)
			}
		}
		if len(entries) == 0 {
			delete(comps, kind)
		}
	}
	return nil
}

// walkRefs calls fn with every "$ref" value in v.
func walkRefs(v any, fn func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				fn(s)
				continue
			}
			walkRefs(e, fn)
		}
	case []any:
		for _, e := range x {
			walkRefs(e, fn)
		}
	}
}

// componentRef splits "#/components/schemas/release" into "schemas", "release".
func componentRef(ref string) (kind, name string, ok bool) {
	rest, found := strings.CutPrefix(ref, "#/components/")
	if !found {
		return "", "", false
	}
	kind, name, found = strings.Cut(rest, "/")
	if !found || strings.Contains(name, "/") {
		return "", "", false
	}
	name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	return kind, name, true
}

// servers reads where the description puts the API (its first server, variables
// at their defaults) and the uploads (the upload operation's first server).
func servers(raw map[string]any) (api, upload *url.URL, err error) {
	api, err = serverURL(raw["servers"])
	if err != nil {
		return nil, nil, fmt.Errorf("servers: %w", err)
	}
	op := asMap(asMap(mapAt(raw, "paths")[releasesPaths+"/{release_id}/assets"])["post"])
	if op == nil {
		return nil, nil, errors.New("no upload operation")
	}
	upload, err = serverURL(op["servers"])
	if err != nil {
		return nil, nil, fmt.Errorf("upload operation servers: %w", err)
	}
	return api, upload, nil
}

func serverURL(v any) (*url.URL, error) {
	list, _ := v.([]any)
	if len(list) == 0 {
		return nil, errors.New("none")
	}
	srv := asMap(list[0])
	s, _ := srv["url"].(string)
	for name, def := range asMap(srv["variables"]) {
		d, _ := asMap(def)["default"].(string)
		s = strings.ReplaceAll(s, "{"+name+"}", d)
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q is not absolute", s)
	}
	return u, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func mapAt(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m = asMap(m[k])
	}
	return m
}
