package inputs

import (
	"fmt"
	"go/ast"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/releasekit/release-action/internal/testutil"
)

// envFuncs are the functions that read the process environment, by package.
var envFuncs = map[string][]string{
	"os":      {"Getenv", "LookupEnv", "Environ", "ExpandEnv"},
	"syscall": {"Getenv", "Environ"},
}

// envReaders are the places besides this package that may read the process
// environment, each with the reason. Everything else is handed plain values
// (inputs.Config, progress.Terminal, ...) by the code that parsed them here.
var envReaders = []struct{ prefix, why string }{
	{"main.go", "the entry point: it hands os.Getenv and os.Environ to internal/app, which gives them to this package"},
	{"cmd/", "commands of their own (demo, emulator, bench), each an entry point with its own flags"},
	{"internal/bench/", "cmd/bench's harness: it starts the built binary with the machine's PATH, HOME and TMPDIR"},
	{"internal/model/", "a test harness: it starts the built binary as a runner would, with the machine's PATH"},
}

// envReads lists where src reads the environment: a call, or a function value
// such as `getenv := os.Getenv`, which reads it later.
func envReads(src testutil.Source) []string {
	names := map[string]string{} // the name the file gives a package -> its path
	for path := range envFuncs {
		if n := testutil.ImportName(src.File, path); n != "" && n != "_" {
			names[n] = path
		}
	}
	var out []string
	ast.Inspect(src.File, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if path, ok := names[id.Name]; ok && slices.Contains(envFuncs[path], n.Sel.Name) {
					out = append(out, fmt.Sprintf("%s: %s.%s", src.Fset.Position(n.Pos()), path, n.Sel.Name))
				}
			}
		case *ast.Ident: // a dot import: Getenv alone
			if path, ok := names["."]; ok && slices.Contains(envFuncs[path], n.Name) {
				out = append(out, fmt.Sprintf("%s: %s.%s", src.Fset.Position(n.Pos()), path, n.Name))
			}
		}
		return true
	})
	return out
}

// TestEnvironmentIsReadHereOnly keeps the reading of the environment in this
// package: a package that read NO_COLOR or GITHUB_ACTIONS itself could disagree
// with what the parser decided, and its tests would depend on the process's
// environment.
func TestEnvironmentIsReadHereOnly(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, src := range testutil.Sources(t) {
		if strings.HasPrefix(src.Rel, "internal/inputs/") {
			continue
		}
		allowed := false
		for _, r := range envReaders {
			allowed = allowed || strings.HasPrefix(src.Rel, r.prefix)
		}
		if allowed {
			continue
		}
		checked++
		for _, read := range envReads(src) {
			t.Errorf("%s reads the environment; read it in internal/inputs and hand the value down", read)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d files checked; the walk missed the module", checked)
	}
}

// TestEnvReadsAreFound proves the check on generated files: every function
// that reads the environment, called or taken as a value, under the package's
// own name, a renamed import and a dot import, is found; writing the
// environment, or a function of the same name elsewhere, is not.
func TestEnvReadsAreFound(t *testing.T) {
	t.Parallel()
	n := 0
	for path, funcs := range envFuncs {
		for _, fn := range funcs {
			for _, imp := range []struct{ clause, ref string }{
				{`"` + path + `"`, path + "."},
				{`renamed "` + path + `"`, "renamed."},
				{`. "` + path + `"`, ""},
			} {
				for _, use := range []string{"_ = %s%s", "f := %s%s; _ = f", "go %s%s()"} {
					body := fmt.Sprintf(use, imp.ref, fn)
					if fn == "LookupEnv" || fn == "Getenv" || fn == "ExpandEnv" {
						body = strings.Replace(body, fn+"()", fn+`("X")`, 1)
					}
					src := testutil.ParseSource(t, "gen.go", "package gen\nimport "+imp.clause+"\nfunc f() { "+body+" }\n")
					n++
					if got := envReads(src); len(got) != 1 {
						t.Errorf("import %s, %q: found %q, want one read", imp.clause, body, got)
					}
				}
			}
		}
	}
	for _, clean := range []string{
		"import \"os\"\nfunc f() { os.Setenv(\"A\", \"b\"); _ = os.Args }",
		"import \"strings\"\ntype env struct{}\nfunc (env) Getenv(string) string { return \"\" }\nfunc f() { var e env; _ = e.Getenv(\"A\"); _ = strings.Fields }",
		"import _ \"os\"\nfunc Getenv() {}\nfunc f() { Getenv() }",
	} {
		if got := envReads(testutil.ParseSource(t, "clean.go", "package gen\n"+clean+"\n")); len(got) != 0 {
			t.Errorf("%q: found %q, want nothing", clean, got)
		}
	}
	if n < 30 {
		t.Fatalf("only %d cases generated", n)
	}
}

// TestTerminalVariables: what internal/progress used to read itself.
func TestTerminalVariables(t *testing.T) {
	t.Parallel()
	type read struct{ NoColor, DumbTerminal, InActions, Flags bool }
	tests := []struct {
		env  []string
		want read
	}{
		{nil, read{Flags: true}},
		{[]string{"NO_COLOR", "1", "TERM", "xterm-256color"}, read{NoColor: true, Flags: true}},
		{[]string{"NO_COLOR", "", "TERM", "dumb"}, read{DumbTerminal: true, Flags: true}},
		{[]string{"GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", "/o", "NO_COLOR", "yes"}, read{NoColor: true, InActions: true}},
	}
	for _, tt := range tests {
		c, _ := ParseAll(env(with(terminal(), tt.env...)))
		got := read{c.NoColor, c.DumbTerminal, c.InActions, c.Words.Flags}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%q (-want +got):\n%s", tt.env, d)
		}
	}
}
