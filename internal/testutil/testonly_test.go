package testutil

import (
	"go/ast"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
)

// testTools are the directories whose exported API exists for tests: the
// fakes, harnesses and helpers of docs/architecture.md's map of test tools.
var testTools = []string{
	"internal/emulator", "internal/hostile", "internal/actiontest", "internal/testutil",
	"internal/model", "internal/lies", "internal/conformance", "internal/bench", "internal/clitest",
	"cmd/bench", "cmd/emulator", "cmd/demo",
}

func isTestTool(dir string) bool {
	return slices.ContainsFunc(testTools, func(p string) bool { return dir == p || strings.HasPrefix(dir, p+"/") })
}

// testOnly returns the exported functions (not methods: an interface may ask
// for those) of production packages that no production code calls or names,
// other than functions found so themselves: they exist for tests only. srcs
// are the module's non-test files.
func testOnly(srcs []Source) []string {
	const module = "github.com/releasekit/release-action/"
	type fn struct{ dir, name string }
	declared := map[fn]string{} // -> where
	// uses[f] are the functions the body of exported function f names; the
	// zero fn stands for all other production code.
	uses := map[fn][]fn{}
	for _, s := range srcs {
		dir := path.Dir(s.Rel)
		if isTestTool(dir) {
			continue // a use by a test tool is a use by tests
		}
		imports := map[string]string{} // local name -> directory
		for _, im := range s.File.Imports {
			p := strings.Trim(im.Path.Value, `"`)
			if rel, ok := strings.CutPrefix(p, module); ok {
				imports[ImportName(s.File, p)] = rel
			}
		}
		collect := func(owner fn, node ast.Node, self *ast.Ident) {
			sel := map[*ast.Ident]bool{self: true} // a declaration names itself
			ast.Inspect(node, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					// x.Name is a field, a method or another package's: never
					// this package's function.
					sel[n.Sel] = true
					if x, ok := n.X.(*ast.Ident); ok {
						if d, ok := imports[x.Name]; ok {
							uses[owner] = append(uses[owner], fn{d, n.Sel.Name})
						}
					}
				case *ast.Ident:
					if !sel[n] {
						uses[owner] = append(uses[owner], fn{dir, n.Name})
					}
				}
				return true
			})
		}
		for _, d := range s.File.Decls {
			f, ok := d.(*ast.FuncDecl)
			if !ok {
				collect(fn{}, d, nil)
				continue
			}
			if f.Recv != nil || !f.Name.IsExported() || s.File.Name.Name == "main" {
				collect(fn{}, d, f.Name)
				continue
			}
			declared[fn{dir, f.Name.Name}] = s.Fset.Position(f.Pos()).String()
			collect(fn{dir, f.Name.Name}, f, f.Name)
		}
	}
	// Used from other production code, or from an exported function that is
	// itself used, until nothing changes.
	used := map[fn]bool{}
	var mark func(owner fn)
	done := map[fn]bool{}
	mark = func(owner fn) {
		if done[owner] {
			return
		}
		done[owner] = true
		for _, u := range uses[owner] {
			used[u] = true
			if _, ok := declared[u]; ok {
				mark(u)
			}
		}
	}
	mark(fn{})
	var out []string
	for f, where := range declared {
		if !used[f] {
			out = append(out, where+": "+path.Base(f.dir)+"."+f.name)
		}
	}
	sort.Strings(out)
	return out
}

// TestNoProductionFunctionServesOnlyTests: production code does not bend for
// tests. An exported function of a production package that only tests (or
// the test tools) call is a wrapper for them; a test calls what production
// calls, or lives beside an unexported helper in its own package.
func TestNoProductionFunctionServesOnlyTests(t *testing.T) {
	t.Parallel()
	for _, f := range testOnly(Sources(t)) {
		t.Errorf("%s is called by tests only", f)
	}
}

// TestTestOnlyFindsAWrapper proves the check on generated files: a wrapper
// only a test tool calls is found, so is what only that wrapper calls, and a
// function named like another package's; one production calls, from its own
// package or through an import, is not.
func TestTestOnlyFindsAWrapper(t *testing.T) {
	t.Parallel()
	lib := ParseSource(t, "internal/lib/lib.go", "package lib\nimport \"net/url\"\nfunc Used() {}\nfunc Local() {}\nfunc Parse() {}\nfunc Inner() {}\ntype T struct{}\nfunc (T) Parse() {}\nfunc Wrapper() { Inner() }\nfunc run() { Local(); url.Parse(\"\") }\n")
	app := ParseSource(t, "internal/app/app.go", "package app\nimport \"github.com/releasekit/release-action/internal/lib\"\nfunc Run() { lib.Used() }\n")
	tool := ParseSource(t, "internal/emulator/e.go", "package emulator\nimport \"github.com/releasekit/release-action/internal/lib\"\nfunc F() { lib.Wrapper() }\n")
	main := ParseSource(t, "main.go", "package main\nimport \"github.com/releasekit/release-action/internal/app\"\nfunc main() { app.Run() }\n")
	got := testOnly([]Source{lib, app, tool, main})
	var names []string
	for _, g := range got {
		names = append(names, g[strings.LastIndex(g, " ")+1:])
	}
	slices.Sort(names)
	if want := []string{"lib.Inner", "lib.Parse", "lib.Wrapper"}; !slices.Equal(names, want) {
		t.Errorf("found %q, want %q: Inner only a test-only wrapper calls, Parse (url.Parse is another package's), Wrapper", got, want)
	}
}
