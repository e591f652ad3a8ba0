// Package testutil holds the helpers that tests in several packages share. It is
// imported by _test.go files only.
package testutil

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// SyncBuffer is a bytes.Buffer that several goroutines may write and read: a
// render goroutine or a server's log on one side, the test on the other.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ModuleRoot is the directory of the go.mod above the test's directory.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
}

// Source is one parsed Go file of the module.
type Source struct {
	Rel  string // slash-separated, from the module's root
	Fset *token.FileSet
	File *ast.File
}

// Sources parses every Go file of the module that is not a test: the
// production code, the commands and the test tools (actiontest, emulator, ...).
// npm's node_modules, testdata and hidden directories are left out.
func Sources(t testing.TB) []Source {
	t.Helper()
	root := ModuleRoot(t)
	var out []Source
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		out = append(out, Source{Rel: filepath.ToSlash(rel), Fset: fset, File: f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no Go file found under " + root)
	}
	return out
}

// ParseSource parses one file's text, for tests that check a checker on
// generated code.
func ParseSource(t testing.TB, rel, src string) Source {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("%s: %v\n%s", rel, err, src)
	}
	return Source{Rel: rel, Fset: fset, File: f}
}

// ImportName is the name file f gives the package path, "" when it does not
// import it ("." or "_" as written).
func ImportName(f *ast.File, path string) string {
	for _, im := range f.Imports {
		if strings.Trim(im.Path.Value, "`\"") != path {
			continue
		}
		if im.Name != nil {
			return im.Name.Name
		}
		return path[strings.LastIndex(path, "/")+1:]
	}
	return ""
}
