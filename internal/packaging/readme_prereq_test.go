package packaging

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func readDoc(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// codeLines returns the commands of the document's sh and console blocks: every
// line of an sh block, the "$ " lines of a console block.
func codeLines(doc string) []string {
	var out []string
	lang := ""
	for _, l := range strings.Split(doc, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "```"); ok {
			if lang == "" {
				lang = rest
				if lang == "" {
					lang = "text"
				}
			} else {
				lang = ""
			}
			continue
		}
		switch lang {
		case "sh":
			out = append(out, strings.TrimSpace(l))
		case "console":
			if cmd, ok := strings.CutPrefix(l, "$ "); ok {
				out = append(out, cmd)
			}
		}
	}
	return out
}

// TestReadmeStatesPrerequisitesAndRealExitCodes: the README names the Go
// version go.mod requires and the npm the tests need, says that @v1 exists
// only once released, and runs the tool as a built binary: `go run .` turns
// every failure into exit status 1, so the documented codes would not hold.
func TestReadmeStatesPrerequisitesAndRealExitCodes(t *testing.T) {
	t.Parallel()
	readme := readDoc(t, "../../README.md")
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readDoc(t, "../../go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if !strings.Contains(readme, "Go "+m[1]+" or newer") {
		t.Errorf("the README does not state go.mod's Go version (Go %s or newer)", m[1])
	}
	for _, want := range []string{"Node.js and npm", "npm ci --prefix conformance", "`@v1` appears with the first release"} {
		if !strings.Contains(readme, want) {
			t.Errorf("the README lacks %q", want)
		}
	}
	runTool := regexp.MustCompile(`\bgo run \.(\s|$)`)
	for _, cmd := range codeLines(readme) {
		if runTool.MatchString(cmd) {
			t.Errorf("the README runs the tool with go run, which hides its exit codes: %s", cmd)
		}
	}
}

// TestBenchmarksQuoteOneTimePerCommand: where docs/benchmarks.md says how long
// a command takes (a comment on its line in a code block, or a paragraph that
// names it and says "in N s"), every such figure for one command is the same.
func TestBenchmarksQuoteOneTimePerCommand(t *testing.T) {
	t.Parallel()
	doc := readDoc(t, "../../docs/benchmarks.md")
	seconds := regexp.MustCompile(`(?:about |\bin |\()(\d+(?:\.\d+)?) (s|minutes?)\b`)
	times := map[string]map[string]bool{}
	note := func(cmd, tm string) {
		if times[cmd] == nil {
			times[cmd] = map[string]bool{}
		}
		times[cmd][tm] = true
	}
	var cmds []string
	for _, l := range codeLines(doc) {
		cmd, comment, ok := strings.Cut(l, "#")
		cmd = strings.Join(strings.Fields(cmd), " ")
		if cmd == "" {
			continue
		}
		cmds = append(cmds, cmd)
		if ok {
			if m := seconds.FindStringSubmatch(comment); m != nil {
				note(cmd, m[1]+" "+m[2])
			}
		}
	}
	for _, para := range strings.Split(doc, "\n\n") {
		para = strings.Join(strings.Fields(para), " ")
		for _, cmd := range cmds {
			if !strings.Contains(para, "`"+cmd+"` ") {
				continue
			}
			if m := regexp.MustCompile(`, in (\d+(?:\.\d+)?) (s|minutes?)\b`).FindStringSubmatch(para); m != nil {
				note(cmd, m[1]+" "+m[2])
			}
		}
	}
	if len(times) == 0 {
		t.Fatal("no command with a time found: the test reads nothing")
	}
	for cmd, ts := range times {
		if len(ts) > 1 {
			t.Errorf("docs/benchmarks.md quotes %d times for %s: %v", len(ts), cmd, ts)
		}
	}
}
