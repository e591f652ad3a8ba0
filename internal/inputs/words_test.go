package inputs

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/testutil"
)

// declaredInputs reads the names of the inputs from the module's action.yml.
func declaredInputs(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.ModuleRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range doc.Inputs {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) < 10 {
		t.Fatalf("action.yml declares %d inputs", len(names))
	}
	return names
}

// A spelling is one way a message can name an input by itself instead of
// through the run's Vocabulary. Workflow spellings are wrong in a terminal,
// flag spellings in a workflow.
type spelling struct {
	form string
	flag bool // the terminal's spelling (--max-parallel)
	re   *regexp.Regexp
}

// spellingsOf lists the spellings of the input name, compiled once.
func spellingsOf(name string) []spelling {
	if s, ok := compiledSpellings.Load(name); ok {
		return s.([]spelling)
	}
	s, _ := compiledSpellings.LoadOrStore(name, compileSpellings(name))
	return s.([]spelling)
}

var compiledSpellings sync.Map // input name -> []spelling

func compileSpellings(name string) []spelling {
	n := regexp.QuoteMeta(name)
	q := "[\"'`]" // a quote or a backquote
	out := []spelling{
		{form: `input "x", input x, inputs "x" and ...`, re: regexp.MustCompile(`(?i)\binputs? +` + q + `?` + n + `\b`)},
		{form: `"x", 'x' or ` + "`x`", re: regexp.MustCompile(q + n + q)},
		// At the start of a message or a clause, or after "set": "draft: true
		// does not ...", "; set overwrite: false"; not "the tag name: ...".
		{form: "x: value", re: regexp.MustCompile(`(?:^|[;,(] ?|\bset )` + n + `: `)},
		{form: "--x", flag: true, re: regexp.MustCompile(`--` + regexp.QuoteMeta(core.Flag(name)[2:]) + `\b`)},
	}
	if strings.Contains(name, "_") {
		// No sentence has a word like delete_other_assets but for the input;
		// trusted_root.json is a file's name (a dot, then a word).
		out = append(out, spelling{form: "x_y in a sentence", re: regexp.MustCompile(`\b` + n + `(?:$|[^\w.]|\.(?:$|\W))`)})
	}
	return out
}

// formatSpelling is `input %q` and the like: an input named by a format verb
// with the workflow's word before it.
var formatSpelling = spelling{form: `input %q`, re: regexp.MustCompile(`(?i)\binputs? +%[-+# 0-9.]*[qsv]`)}

// identifier is a literal that is a key, not a message: "max_parallel",
// "INPUT_FILES".
var identifier = regexp.MustCompile(`^[A-Za-z0-9_]*$`)

// wordsExempt are the files and packages whose literals may spell inputs out,
// each with the audience that settles which spelling is right.
var wordsExempt = []struct {
	prefix   string
	terminal bool // flag spellings allowed (the words only reach a terminal)
	workflow bool // workflow spellings allowed (the words only reach a workflow)
	why      string
}{
	{"internal/core/vocabulary.go", true, true, "the vocabulary itself"},
	{"internal/inputs/unknown.go", false, true, "undeclared INPUT_* variables are checked in a workflow only (CheckUnknownInWorkflow): they are `with:` keys"},
	{"internal/app/cli.go", true, false, "the command line: its words reach a terminal before any input is parsed"},
	{"cmd/", true, false, "commands run from a terminal; their hints are command lines to type"},
	{"internal/emulator/", true, true, "GitHub's side: its words are the API's field names, not inputs"},
	{"internal/hostile/", true, true, "a test tool playing a hostile GitHub"},
	{"internal/conformance/", true, true, "checks traffic against GitHub's description, whose fields share some names"},
	{"internal/bench/", true, true, "the benchmark's report for docs/benchmarks.md, written for the project's developers"},
	{"internal/model/", true, true, "a test harness"},
	{"internal/actiontest/", true, true, "a test harness"},
	{"internal/testutil/", true, true, "test helpers"},
}

// misspelled lists the literals of src that name one of names outside the
// Vocabulary, except the spellings its exemption allows.
func misspelled(src testutil.Source, names []string, terminalOK, workflowOK bool) []string {
	skip := map[*ast.BasicLit]bool{} // struct tags and import paths are no messages
	ast.Inspect(src.File, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				skip[n.Tag] = true
			}
		case *ast.ImportSpec:
			skip[n.Path] = true
		}
		return true
	})
	var out []string
	// core.Flag spells a flag whatever the audience: only a file that
	// speaks to a terminal may call it.
	pkg := testutil.ImportName(src.File, "github.com/releasekit/release-action/internal/core")
	ast.Inspect(src.File, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || terminalOK {
			return true
		}
		var fn string
		switch f := call.Fun.(type) {
		case *ast.SelectorExpr:
			if x, ok := f.X.(*ast.Ident); ok && pkg != "" && x.Name == pkg {
				fn = f.Sel.Name
			}
		case *ast.Ident:
			if src.File.Name.Name == "core" {
				fn = f.Name
			}
		}
		if fn == "Flag" {
			out = append(out, fmt.Sprintf("%s: core.Flag spells a flag in a file a workflow may read", src.Fset.Position(call.Pos())))
		}
		return true
	})
	ast.Inspect(src.File, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING || skip[lit] {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || identifier.MatchString(s) {
			return true
		}
		report := func(sp spelling, name string) {
			if (sp.flag && terminalOK) || (!sp.flag && workflowOK) {
				return
			}
			out = append(out, fmt.Sprintf("%s: %q names %s as %s", src.Fset.Position(lit.Pos()), s, name, sp.form))
		}
		if formatSpelling.re.MatchString(s) {
			report(formatSpelling, "an input")
		}
		for _, name := range names {
			for _, sp := range spellingsOf(name) {
				if sp.re.MatchString(s) {
					report(sp, name)
				}
			}
		}
		return true
	})
	return out
}

// TestMessagesGoThroughTheVocabulary keeps every package's messages from
// spelling an input's name out: one written as `input "files"` talks of inputs
// to someone who typed --files, one written as --files talks of flags in a
// workflow. Messages name inputs through the run's Vocabulary (Config.Words,
// Job.Words) instead, and only a file that speaks to a terminal calls
// core.Flag. Every non-test Go file of the module is read.
func TestMessagesGoThroughTheVocabulary(t *testing.T) {
	t.Parallel()
	names := declaredInputs(t)
	checked := map[string]bool{}
	for _, src := range testutil.Sources(t) {
		terminalOK, workflowOK := false, false
		for _, e := range wordsExempt {
			if strings.HasPrefix(src.Rel, e.prefix) {
				terminalOK, workflowOK = e.terminal, e.workflow
			}
		}
		if !terminalOK || !workflowOK {
			checked[path.Dir(src.Rel)] = true
		}
		for _, m := range misspelled(src, names, terminalOK, workflowOK) {
			t.Errorf("%s; name it through the Vocabulary (Words.Input, Words.Ref, Words.Set ...)", m)
		}
	}
	// The packages that write messages to the user of the action.
	for _, pkg := range []string{"internal/app", "internal/publish", "internal/inputs", "internal/core", "internal/ghclient", "internal/assets", "internal/report", "internal/notes", "internal/actions", "internal/retry", "internal/progress"} {
		if !checked[pkg] {
			t.Errorf("%s was not checked", pkg)
		}
	}
}

// TestSpellingsAreFound proves the check on generated literals: every
// spelling of every declared input is found where its audience is not
// settled, and allowed where it is; the Vocabulary's own calls, keys and
// struct tags are not messages.
func TestSpellingsAreFound(t *testing.T) {
	t.Parallel()
	names := declaredInputs(t)
	workflow := []string{
		`fmt.Errorf("input \"%s\": bad")`,
		"fmt.Errorf(`input \"%s\": bad`)",
		`fmt.Errorf("input %s is bad")`,
		`fmt.Errorf("Input '%s' is bad")`,
		`fmt.Errorf("inputs \"%s\" and \"x\" are both set")`,
		`fmt.Errorf("inputs \"x\" and \"%s\" are both set")`,
		"fmt.Errorf(\"leave `%s` unset\")",
		`fmt.Errorf("set %s: true to do it")`,
		`fmt.Errorf("done; %s: false keeps it")`,
		`fmt.Errorf("%s: not a number")`,
	}
	terminal := []string{
		`fmt.Errorf("use --%s instead")`,
		`fmt.Errorf("set --%s=true")`,
	}
	gen := func(tmpl, name string) testutil.Source {
		return testutil.ParseSource(t, "gen.go", "package gen\nimport \"fmt\"\nvar _ = "+fmt.Sprintf(tmpl, name)+"\n")
	}
	n := 0
	for _, name := range names {
		for _, tmpl := range workflow {
			n++
			if got := misspelled(gen(tmpl, name), names, false, false); len(got) == 0 {
				t.Errorf("%s: not found", fmt.Sprintf(tmpl, name))
			}
			if got := misspelled(gen(tmpl, name), names, false, true); len(got) != 0 {
				t.Errorf("%s: found in a workflow-only file: %q", fmt.Sprintf(tmpl, name), got)
			}
		}
		for _, tmpl := range terminal {
			flag := strings.ReplaceAll(name, "_", "-")
			n++
			if got := misspelled(gen(tmpl, flag), names, false, false); len(got) == 0 {
				t.Errorf("%s: not found", fmt.Sprintf(tmpl, flag))
			}
			if got := misspelled(gen(tmpl, flag), names, true, false); len(got) != 0 {
				t.Errorf("%s: found in a terminal-only file: %q", fmt.Sprintf(tmpl, flag), got)
			}
		}
		if strings.Contains(name, "_") {
			n++
			if got := misspelled(gen(`fmt.Errorf("matched by no pattern (%s)")`, name), names, false, false); len(got) == 0 {
				t.Errorf("%s in a sentence: not found", name)
			}
		}
	}
	verb := testutil.ParseSource(t, "verb.go", "package gen\nimport \"fmt\"\nvar _ = fmt.Errorf(\"input %q is not an input\", \"x\")\n")
	if got := misspelled(verb, names, false, false); len(got) == 0 {
		t.Error("a format verb after \"input\": not found")
	}
	clean := "package gen\nimport \"fmt\"\n" +
		"type T struct{ F string `json:\"files\" yaml:\"name\"` }\n" +
		"func f(w interface{ Input(string) string }, get func(string) string) {\n" +
		"\t_ = fmt.Errorf(\"%s: %q is not a valid glob\", w.Input(\"files\"), \"x\")\n" +
		"\t_ = get(\"max_parallel\") + get(\"INPUT_DELETE_OTHER_ASSETS\")\n" +
		"\t_ = fmt.Errorf(\"the files matched nothing; the tag has no name\")\n" +
		"\t_ = fmt.Errorf(\"%s is not a valid tag name: it stays a draft: %s\", \"a\", \"b\")\n}\n"
	if got := misspelled(testutil.ParseSource(t, "clean.go", clean), names, false, false); len(got) != 0 {
		t.Errorf("clean code: found %q", got)
	}
	for _, call := range []string{
		"package gen\nimport \"github.com/releasekit/release-action/internal/core\"\nvar _ = core.Flag(\"files\")\n",
		"package gen\nimport c \"github.com/releasekit/release-action/internal/core\"\nvar _ = c.Flag(\"files\")\n",
		"package core\nfunc Flag(string) string { return \"\" }\nvar _ = Flag(\"files\")\n",
	} {
		src := testutil.ParseSource(t, "flag.go", call)
		if got := misspelled(src, names, false, false); len(got) != 1 {
			t.Errorf("%q: found %q, want the call to Flag", call, got)
		}
		if got := misspelled(src, names, true, false); len(got) != 0 {
			t.Errorf("%q in a terminal-only file: found %q", call, got)
		}
	}
	if n < 10*len(names) {
		t.Fatalf("only %d cases generated", n)
	}
}
