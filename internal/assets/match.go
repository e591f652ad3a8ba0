package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// File is one local file to upload.
type File struct {
	Path        string   // absolute; for a symbolic link, the link itself (not its target)
	Rel         string   // slash-separated path relative to the base directory, for messages
	Name        string   // base name sent to GitHub
	StoredName  string   // GitHubName(Name): the name the asset will have on the release
	Label       string   // from "path#label"; "" when none
	Size        int64    // of the content that will be sent (a link's target)
	ContentType string   // ContentType(Name)
	Identity    Identity // the file matched (a link's target), for the upload to check it opens the same one
}

// Options tune MatchAll.
type Options struct {
	// FailOnUnmatched makes an include pattern that matched no file an error.
	FailOnUnmatched bool
	// FollowOutside allows symbolic links that resolve outside the working
	// directory. /proc, /sys and /dev stay refused.
	FollowOutside bool
	// OutsideHint, when set, ends the error about a link out of the working
	// directory (say, the input that allows it).
	OutsideHint string
}

// systemDirs hold kernel and device files, never release assets.
var systemDirs = []string{"/proc", "/sys", "/dev"}

// Matched is what MatchAll found.
type Matched struct {
	Files []File
	// Unmatched are the include patterns, as written, that matched no file
	// without being an error (FailOnUnmatched off), for the caller to warn about.
	Unmatched []string
}

// MatchAll resolves the files input against dir and returns the files to upload,
// sorted by StoredName, and the include patterns that matched nothing without
// being an error. Every problem found is reported, joined into one error; when
// there is an error no files are returned.
//
// The rules:
//   - Patterns are doublestar globs ("**" crosses directories) resolved against dir;
//     absolute patterns and ".." work. Hidden files match like any other ("*" matches
//     ".env"), so exclude them explicitly if they may be present.
//   - Only regular files are returned. A symbolic link to a regular file counts as that
//     file under the link's name. Wildcards never descend into a symbolically linked
//     directory, so a link cycle cannot loop; a link written out before the first
//     wildcard ("build/*" where build is a link) is followed, since the user named it.
//     Broken links, directories, FIFOs and devices found by a wildcard are skipped.
//   - A pattern without wildcards names one path. It is an error if that path is a
//     directory, a broken link or not a regular file; if it does not exist, it is an
//     error only with opts.FailOnUnmatched.
//   - Exclude patterns ("!") apply whatever their position in the list. An exclude
//     removes the files it matches and every file below a directory it matches, so
//     "!dist/debug" equals "!dist/debug/**". Matching is on the path as written, without
//     resolving links. Excludes never fail.
//   - With opts.FailOnUnmatched, an include pattern that matched no file is an error (a file
//     later removed by an exclude still counts as matched).
//   - A file matched by several patterns is returned once. Labels do not depend on the
//     order of patterns: a pattern without a label never clears one, and two different
//     labels for one file are an error.
//   - Two files that GitHub would store under the same name are an error naming both.
//     Names are compared case-sensitively, as GitHub's API reports them; GitHub may still
//     refuse names that differ only in case, which then surfaces as an upload error.
//   - Where the file system folds case (Windows, macOS by default; asked of the file
//     system under dir, see foldsCase), so do wildcards and excludes, and a file is
//     named and compared as its directory lists it: "DIST/APP.ZIP" finds dist/app.zip,
//     uploaded as app.zip, and counts as the same file as "dist/app.zip".
//   - Every file must be readable (it is opened and closed again).
//   - Files come from where the user pointed: a match inside dir that resolves,
//     through a symbolic link, to a path outside dir is an error naming the link and
//     its target, unless opts.FollowOutside; anything that resolves under /proc, /sys
//     or /dev is always an error (a build step can plant dist/x -> /proc/self/environ).
//     A path written outside dir (absolute, "..") is where the user pointed, and is kept.
func MatchAll(dir string, patterns []Pattern, opts Options) (Matched, error) {
	failOnUnmatched := opts.FailOnUnmatched
	base, err := filepath.Abs(dir)
	if err != nil {
		return Matched{}, fmt.Errorf("working directory %q: %w", dir, err)
	}
	realBase, err := filepath.EvalSymlinks(base)
	if err != nil {
		return Matched{}, fmt.Errorf("working directory %q: %w", dir, err)
	}
	var unmatched []string
	m := &matcher{base: base, realBase: realBase, opts: opts, found: map[string]*candidate{}}
	if foldsCase(base) {
		m.spell = &spelling{}
		m.base = m.spell.of(base) // so that Rel and the checks of place compare like with like
	}
	var excludes []string
	for i, p := range patterns {
		m.entry = i
		if p.Glob == "" {
			m.fail(errors.New("empty pattern in files"))
			continue
		}
		pat := m.absPattern(p.Glob)
		if !doublestar.ValidatePattern(pat) {
			m.fail(fmt.Errorf("pattern %q is malformed", p.Glob))
			continue
		}
		if p.Exclude {
			excludes = append(excludes, pat)
			continue
		}
		before := len(m.errs)
		n := m.include(p, pat)
		// A pattern already reported (a directory, a broken link) needs no second error.
		switch {
		case n > 0 || len(m.errs) > before:
		case failOnUnmatched:
			m.fail(fmt.Errorf("pattern %q matched no file", p.Glob))
		default:
			unmatched = append(unmatched, p.Glob)
		}
	}

	paths := make([]string, 0, len(m.found))
	for p := range m.found {
		if !excluded(filepath.ToSlash(p), excludes, m.spell != nil) {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)

	files := make([]File, 0, len(paths))
	for _, p := range paths {
		f, err := m.file(p)
		if err != nil {
			m.fail(err)
			continue
		}
		files = append(files, f)
	}
	m.checkRenames(patterns, paths)
	m.checkNames(files)
	if len(m.errs) > 0 {
		return Matched{}, errors.Join(m.errs...)
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.StoredName, b.StoredName) })
	return Matched{Files: files, Unmatched: unmatched}, nil
}

type matcher struct {
	base     string
	realBase string // base with its links resolved
	opts     Options
	found    map[string]*candidate // by absolute path
	errs     []error
	spell    *spelling // set when the file system folds case; see foldsCase
	entry    int       // index of the pattern being matched
}

// candidate is a file matched by at least one include pattern.
type candidate struct {
	info   fs.FileInfo // of the content: a link's target
	labels []patternLabel
}

// patternLabel is what one include pattern says of a file it matched: its
// label and the asset name it gives ("" when none), and which entry it is.
type patternLabel struct {
	pattern, label, name string
	entry                int // index in the patterns
}

func (m *matcher) fail(err error) { m.errs = append(m.errs, err) }

// absPattern makes pattern absolute and slash-separated. The base directory is escaped
// so that a directory called "v[1]" is taken literally. The escapes are added to the
// slash-separated form: on Windows the escape character, \, is also a separator
// (there, a \ in a pattern separates too).
func (m *matcher) absPattern(pattern string) string {
	if filepath.IsAbs(pattern) {
		return filepath.ToSlash(filepath.Clean(pattern))
	}
	vol := filepath.VolumeName(m.base)
	return escapeMeta(filepath.ToSlash(vol)) +
		path.Clean(escapeMeta(filepath.ToSlash(m.base[len(vol):]))+"/"+filepath.ToSlash(pattern))
}

// include adds the files that pat (the absolute form of p.Glob) matches and returns
// how many it matched.
func (m *matcher) include(p Pattern, pat string) int {
	if !hasMeta(pat) {
		return m.includeLiteral(p, filepath.FromSlash(unescapeMeta(pat)))
	}
	base, rest := doublestar.SplitPattern(pat)
	// WithNoFollow keeps "**" out of linked directories (and out of link cycles).
	// WithFailOnIOErrors makes an unreadable directory an error instead of a silent hole.
	opts := []doublestar.GlobOption{doublestar.WithFilesOnly(), doublestar.WithNoFollow(), doublestar.WithFailOnIOErrors()}
	if m.spell != nil {
		opts = append(opts, doublestar.WithCaseInsensitive())
	}
	matches, err := doublestar.Glob(os.DirFS(filepath.FromSlash(base)), rest, opts...)
	if err != nil {
		m.fail(fmt.Errorf("pattern %q: %w", p.Glob, err))
		return 0
	}
	n := 0
	for _, rel := range matches {
		full := filepath.Join(filepath.FromSlash(base), filepath.FromSlash(rel))
		info, err := os.Lstat(full)
		if err != nil {
			m.fail(fmt.Errorf("pattern %q: %w", p.Glob, err))
			continue
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			// A wildcard skips what a link cannot stand in for: broken links and
			// links to directories or special files.
			if info, err = os.Stat(full); err != nil {
				continue
			}
		}
		if !info.Mode().IsRegular() {
			continue
		}
		m.add(full, info, p)
		n++
	}
	return n
}

// includeLiteral handles a pattern without wildcards: it names exactly one path, so
// anything unusual about that path is worth an error.
func (m *matcher) includeLiteral(p Pattern, full string) int {
	info, err := os.Lstat(full)
	if errors.Is(err, fs.ErrNotExist) {
		return 0 // reported by the caller with failOnUnmatched
	}
	if err != nil {
		m.fail(fmt.Errorf("pattern %q: %w", p.Glob, err))
		return 0
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		info, err = os.Stat(full)
		if errors.Is(err, fs.ErrNotExist) {
			m.fail(fmt.Errorf("pattern %q: %s is a broken symbolic link", p.Glob, m.rel(full)))
			return 0
		}
		if err != nil {
			m.fail(fmt.Errorf("pattern %q: %w", p.Glob, err))
			return 0
		}
	}
	switch {
	case info.IsDir():
		d := strings.TrimSuffix(p.Glob, "/")
		m.fail(fmt.Errorf("pattern %q is a directory; use %s/* or %s/**", p.Glob, d, d))
		return 0
	case !info.Mode().IsRegular():
		m.fail(fmt.Errorf("pattern %q: %s is not a regular file (%s)", p.Glob, m.rel(full), info.Mode().Type()))
		return 0
	}
	m.add(full, info, p)
	return 1
}

func (m *matcher) add(full string, info fs.FileInfo, p Pattern) {
	if m.spell != nil {
		full = m.spell.of(full) // one file, one key and one name, however it was spelled
	}
	c := m.found[full]
	if c == nil {
		c = &candidate{info: info}
		m.found[full] = c
	}
	c.labels = append(c.labels, patternLabel{pattern: p.Glob, label: p.Label, name: p.Name, entry: m.entry})
}

// file builds the File for path, checking that it can be read and that its patterns
// agree on a label.
func (m *matcher) file(full string) (File, error) {
	c := m.found[full]
	rel := m.rel(full)
	label, err := pickLabel(rel, c.labels)
	if err != nil {
		return File{}, err
	}
	if err := m.checkPlace(full, rel); err != nil {
		return File{}, err
	}
	// Reading happens much later, after the release exists; find out now. Only
	// regular files get here, so Open cannot block as it would on a FIFO.
	f, err := os.Open(full)
	if err != nil {
		return File{}, fmt.Errorf("%s is not readable: %w", rel, err)
	}
	id, err := identify(full, f)
	f.Close()
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", rel, err)
	}
	name, err := pickName(rel, c.labels)
	if err != nil {
		return File{}, err
	}
	if name == "" {
		name = filepath.Base(full)
	}
	return File{
		Path:        full,
		Rel:         rel,
		Name:        name,
		StoredName:  GitHubName(name),
		Label:       label,
		Size:        c.info.Size(),
		ContentType: ContentType(name),
		Identity:    id,
	}, nil
}

// checkPlace refuses a file that resolves under a system directory, or that sits
// in the working directory but resolves, through a link, outside it.
func (m *matcher) checkPlace(full, rel string) error {
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	for _, d := range systemDirs {
		if within(d, real) || within(d, full) {
			return fmt.Errorf("%s resolves to %s, under %s: system files are never uploaded", rel, real, d)
		}
	}
	if m.opts.FollowOutside || !within(m.base, full) || within(m.realBase, real) {
		return nil
	}
	msg := fmt.Sprintf("%s resolves through a symbolic link to %s, outside the working directory %s; refusing to follow it", rel, real, m.base)
	if m.opts.OutsideHint != "" {
		msg += " (" + m.opts.OutsideHint + ")"
	}
	return errors.New(msg)
}

// within reports whether p is dir or lies below it; both are clean and absolute.
func within(dir, p string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// pickLabel returns the one non-empty label among labels, or an error naming the
// patterns that disagree.
func pickLabel(rel string, labels []patternLabel) (string, error) {
	return pickOne(labels, func(l patternLabel) string { return l.label }, func(a, fromA, b, fromB string) error {
		return fmt.Errorf("%s has two labels: %q from pattern %q and %q from pattern %q", rel, a, fromA, b, fromB)
	})
}

// pickName returns the one asset name that patterns give rel ("path => name"),
// "" when none does, or an error naming the entries that disagree. A pattern
// without a name does not disagree: "dist/*" and "dist/a => b" upload dist/a as b.
func pickName(rel string, labels []patternLabel) (string, error) {
	return pickOne(labels, func(l patternLabel) string { return l.name }, func(a, fromA, b, fromB string) error {
		return fmt.Errorf("%s is given two names: %q by pattern %q and %q by pattern %q", rel, a, fromA, b, fromB)
	})
}

// pickOne returns the one non-empty value that field reads from labels, "" when
// none has one, or disagree's error for the first two patterns that differ.
func pickOne(labels []patternLabel, field func(patternLabel) string, disagree func(a, fromA, b, fromB string) error) (string, error) {
	var value, from string
	for _, l := range labels {
		switch v := field(l); {
		case v == "" || v == value:
		case value == "":
			value, from = v, l.pattern
		default:
			return "", disagree(value, from, v, l.pattern)
		}
	}
	return value, nil
}

// checkRenames reports a pattern that gives an asset name ("path => name") and
// matches several files (exclusions applied): they cannot all have that name.
// paths are the files that remain, sorted.
func (m *matcher) checkRenames(patterns []Pattern, paths []string) {
	byEntry := map[int][]string{}
	for _, p := range paths {
		for _, l := range m.found[p].labels {
			if l.name != "" && !slices.Contains(byEntry[l.entry], p) {
				byEntry[l.entry] = append(byEntry[l.entry], p)
			}
		}
	}
	for i, p := range patterns {
		if got := byEntry[i]; len(got) > 1 {
			rels := make([]string, len(got))
			for j, full := range got {
				rels[j] = m.rel(full)
			}
			m.fail(fmt.Errorf("pattern %q names one asset %q but matches %d files (%s); give each file its own entry, or narrow the pattern",
				p.Glob, p.Name, len(got), strings.Join(rels, ", ")))
		}
	}
}

// checkNames reports files that GitHub would store under the same name: the second
// upload would fail with already_exists, or replace the first.
func (m *matcher) checkNames(files []File) {
	byName := map[string][]string{}
	var names []string
	for _, f := range files {
		if byName[f.StoredName] == nil {
			names = append(names, f.StoredName)
		}
		byName[f.StoredName] = append(byName[f.StoredName], f.Rel)
	}
	slices.Sort(names)
	for _, n := range names {
		if rels := byName[n]; len(rels) > 1 {
			m.fail(fmt.Errorf("asset name %q would be used by %s; rename or exclude all but one",
				n, strings.Join(rels, ", ")))
		}
	}
}

// rel returns full relative to the base directory, slash-separated.
func (m *matcher) rel(full string) string {
	r, err := filepath.Rel(m.base, full)
	if err != nil {
		r = full
	}
	return filepath.ToSlash(r)
}

// excluded reports whether any exclude pattern matches p or one of its directories;
// with fold, letters match whatever their case, as the file system has them.
func excluded(p string, excludes []string, fold bool) bool {
	if fold {
		p = strings.ToLower(p)
	}
	for _, ex := range excludes {
		if fold {
			ex = strings.ToLower(ex)
		}
		for q := p; ; q = path.Dir(q) {
			if doublestar.MatchUnvalidated(ex, q) {
				return true
			}
			if q == "/" || q == "." || path.Dir(q) == q {
				break
			}
		}
	}
	return false
}

// hasMeta reports whether pattern has an unescaped wildcard, bracket or brace, the
// characters doublestar treats specially.
func hasMeta(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			i++
		case '*', '?', '[', '{':
			return true
		}
	}
	return false
}

// These mirror doublestar's own escaping, which SplitPattern undoes.
var (
	metaEscaper   = strings.NewReplacer("*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`, "{", `\{`, "}", `\}`)
	metaUnescaper = strings.NewReplacer(`\*`, "*", `\?`, "?", `\[`, "[", `\]`, "]", `\{`, "{", `\}`, "}")
)

func escapeMeta(s string) string   { return metaEscaper.Replace(s) }
func unescapeMeta(s string) string { return metaUnescaper.Replace(s) }
