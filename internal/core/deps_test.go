package core

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/testutil"
)

const module = "github.com/releasekit/release-action/"

// parserFree are the packages that work in the core's words and so must not
// depend on the parser, directly or through another package.
var parserFree = []string{"internal/core", "internal/publish", "internal/assets"}

// parserDeps returns the path from pkg to internal/inputs in the graph, or nil
// when pkg does not depend on it.
func parserDeps(pkg string, imports map[string][]string) []string {
	seen := map[string]bool{}
	var walk func(p string) []string
	walk = func(p string) []string {
		if p == module+"internal/inputs" {
			return []string{p}
		}
		if seen[p] {
			return nil
		}
		seen[p] = true
		for _, q := range imports[p] {
			if path := walk(q); path != nil {
				return append([]string{p}, path...)
			}
		}
		return nil
	}
	return walk(module + pkg)
}

// TestTheCoreDoesNotImportTheParser reads the import graph of the production
// code (go list -deps, test files left out) and requires publish, assets and
// core to reach internal/inputs by no path.
func TestTheCoreDoesNotImportTheParser(t *testing.T) {
	t.Parallel()
	args := []string{"list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`}
	for _, p := range parserFree {
		args = append(args, "./"+p)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = testutil.ModuleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		imports[f[0]] = f[1:]
	}
	for _, p := range parserFree {
		if _, ok := imports[module+p]; !ok {
			t.Fatalf("go list did not list %s", p)
		}
		if path := parserDeps(p, imports); path != nil {
			t.Errorf("%s depends on internal/inputs: %s", p, strings.Join(path, " -> "))
		}
	}
	// The core is the bottom of the module: everyone may import it.
	for _, q := range imports[module+"internal/core"] {
		if strings.HasPrefix(q, module) {
			t.Errorf("internal/core imports %s; it imports nothing of the module", q)
		}
	}
}

// TestParserDepsFindsAnIndirectImport proves the walk on a made-up graph.
func TestParserDepsFindsAnIndirectImport(t *testing.T) {
	t.Parallel()
	g := map[string][]string{
		module + "internal/publish": {"fmt", module + "internal/assets"},
		module + "internal/assets":  {module + "internal/x"},
		module + "internal/x":       {module + "internal/inputs"},
		module + "internal/core":    {"fmt"},
	}
	want := []string{module + "internal/publish", module + "internal/assets", module + "internal/x", module + "internal/inputs"}
	if got := parserDeps("internal/publish", g); !slices.Equal(got, want) {
		t.Errorf("path %v, want %v", got, want)
	}
	if got := parserDeps("internal/core", g); got != nil {
		t.Errorf("core: path %v, want none", got)
	}
}
