package assets

import (
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// foldsCase reports whether the file system holding dir treats names that differ
// only in case as one name (Windows and macOS by default; a Linux volume may too).
// It is asked of the file system, not assumed from the OS: a name with a letter
// in it, found in dir or on the way to it, is looked up with its case swapped,
// and the answer is whether that finds the same file. Nothing is written.
func foldsCase(dir string) bool {
	var probes []string
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if swapCase(e.Name()) != e.Name() {
				probes = append(probes, filepath.Join(dir, e.Name()))
				break
			}
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		if swapCase(filepath.Base(d)) != filepath.Base(d) {
			probes = append(probes, d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, p := range probes {
		st, err := os.Lstat(p)
		if err != nil {
			continue
		}
		other, err := os.Lstat(filepath.Join(filepath.Dir(p), swapCase(filepath.Base(p))))
		return err == nil && os.SameFile(st, other)
	}
	return false
}

// swapCase turns upper-case letters to lower case and the others to upper case.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, s)
}

// spelling gives paths on a case-insensitive file system the spelling their
// directories list, so that a file reached as DIST/APP.ZIP is named, compared and
// reported as dist/app.zip, the way it is stored.
type spelling struct {
	listed map[string]map[string]string // directory -> folded name -> listed name
}

// of returns full (absolute, clean) with every element below the volume spelled as
// its directory lists it. An element no listing shows (a device such as NUL, an
// unreadable directory) is kept as written, and so is what follows it.
func (s *spelling) of(full string) string {
	vol := filepath.VolumeName(full)
	rest := strings.TrimPrefix(full[len(vol):], string(filepath.Separator))
	if rest == "" {
		return full
	}
	dir := vol + string(filepath.Separator)
	out := dir
	elems := strings.Split(rest, string(filepath.Separator))
	for i, e := range elems {
		name, ok := s.lookup(dir, e)
		if !ok {
			return filepath.Join(append([]string{out}, elems[i:]...)...)
		}
		out = filepath.Join(out, name)
		dir = out
	}
	return out
}

// lookup finds name in dir's listing: the exact spelling first, else the one entry
// equal to it under case folding.
func (s *spelling) lookup(dir, name string) (string, bool) {
	if s.listed == nil {
		s.listed = map[string]map[string]string{}
	}
	names, ok := s.listed[dir]
	if !ok {
		entries, err := os.ReadDir(dir)
		if err == nil {
			names = make(map[string]string, len(entries))
			for _, e := range entries {
				n := e.Name()
				names[n] = n
				k := strings.ToLower(n)
				if _, seen := names[k]; !seen || k == n {
					names[k] = n
				}
			}
		}
		s.listed[dir] = names
	}
	if n, ok := names[name]; ok && n == name {
		return n, true
	}
	n, ok := names[strings.ToLower(name)]
	return n, ok
}
