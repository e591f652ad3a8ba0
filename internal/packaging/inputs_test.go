package packaging

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/testutil"
	"gopkg.in/yaml.v3"
)

// An input is written in action.yml, and then in each place below; the list of
// inputs is action.yml's, nothing else repeats it. inputProblems names every
// place an input of action.yml is missing from (or differs in), each problem
// starting with the place to fix:
//
//   - action.yml: an input the parser reads that action.yml does not declare;
//   - portable/action.yml: the input, its description and default, and the run
//     step's INPUT_ line;
//   - internal/inputs: setting the probe value changes nothing in the parsed
//     Config, or the documented default is not the parser's;
//   - README.md: the inputs table's row, in action.yml's order, with the same
//     default;
//   - internal/testutil/inputs.go: the probe value.
//
// The job's place (internal/app: publish.Job or notInJob) is checked by
// app.TestEveryInputReachesTheJob from the same list and probes.
type interfaceSources struct {
	actionYAML, portableYAML, readme []byte
	parse                            func(getenv func(string) string) (*inputs.Config, error)
	probes                           map[string]testutil.Probe
}

const (
	placeAction   = "action.yml"
	placePortable = "portable/action.yml"
	placeParser   = "internal/inputs"
	placeREADME   = "README.md"
	placeProbes   = "internal/testutil/inputs.go"
)

func realSources(t *testing.T) interfaceSources {
	return interfaceSources{
		actionYAML:   []byte(readRepoFile(t, "action.yml")),
		portableYAML: []byte(readRepoFile(t, "portable/action.yml")),
		readme:       []byte(readRepoFile(t, "README.md")),
		parse:        inputs.ParseAll,
		probes:       testutil.Probes,
	}
}

// probeBase is the environment every probe is added to: the least a parse
// needs to succeed.
var probeBase = map[string]string{
	"INPUT_TOKEN": "token", "GITHUB_REPOSITORY": "octo/demo",
	"INPUT_TAG": "v1.0.0", "GITHUB_WORKSPACE": "/github/workspace",
}

func inputProblems(s interfaceSources) []string {
	var out []string
	add := func(place, format string, args ...any) {
		out = append(out, place+": "+fmt.Sprintf(format, args...))
	}
	ins, err := testutil.ParseInputs(s.actionYAML)
	if err != nil {
		add(placeAction, "%v", err)
		return out
	}
	declared := map[string]bool{}
	for _, in := range ins {
		declared[in.Name] = true
	}

	// action.yml: every input the parser reads, under any probe, is declared.
	read := map[string]bool{}
	recordParse := func(env map[string]string) (*inputs.Config, error) {
		return s.parse(func(k string) string {
			if name, ok := strings.CutPrefix(k, "INPUT_"); ok {
				read[strings.ToLower(name)] = true
			}
			return env[k]
		})
	}
	for _, name := range slices.Sorted(maps.Keys(s.probes)) {
		if !declared[name] {
			add(placeProbes, "a probe value for %s, which action.yml does not declare", name)
		}
	}

	// internal/inputs and the probe table.
	for _, in := range ins {
		p, ok := s.probes[in.Name]
		if !ok {
			add(placeProbes, "no probe value for input %s; add one to Probes", in.Name)
			continue
		}
		base, err := recordParse(p.ProbeEnv(probeBase, in.Name, false))
		if err != nil {
			add(placeParser, "parse with the inputs %s needs (%v): %v", in.Name, p.With, err)
			continue
		}
		env := p.ProbeEnv(probeBase, in.Name, true)
		probed, err := recordParse(env)
		if err != nil {
			add(placeParser, "parse with %s=%q: %v", in.Name, env[testutil.InputVar(in.Name)], err)
			continue
		}
		if reflect.DeepEqual(base, probed) {
			add(placeParser, "setting %s=%q does not change the parsed Config: the parser ignores the input", in.Name, p.Value)
		}
		if in.Default == "" || strings.Contains(in.Default, "${{") {
			continue
		}
		env[testutil.InputVar(in.Name)] = in.Default
		got, err := recordParse(env)
		if err != nil {
			add(placeParser, "parse with the documented default %s=%q: %v", in.Name, in.Default, err)
		} else if !reflect.DeepEqual(base, got) {
			add(placeParser, "the documented default %s=%q is not the parser's default", in.Name, in.Default)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(read)) {
		if !declared[name] {
			add(placeAction, "the parser reads the input %s (%s), which action.yml does not declare", name, testutil.InputVar(name))
		}
	}

	out = append(out, portableProblems(s.actionYAML, s.portableYAML, ins)...)
	out = append(out, readmeProblems(s.readme, ins)...)
	return out
}

// portableProblems compares the portable action's inputs with action.yml's and
// requires the run step to pass each as its INPUT_ variable.
func portableProblems(actionYAML, portableYAML []byte, ins []testutil.Input) []string {
	var out []string
	root, err := parseActionYAML(string(actionYAML))
	if err != nil {
		return []string{placeAction + ": " + err.Error()}
	}
	var doc struct {
		Inputs yaml.Node `yaml:"inputs"`
		Runs   struct {
			Steps []portableStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(portableYAML, &doc); err != nil {
		return []string{placePortable + ": " + err.Error()}
	}
	port, err := fromYAML(&doc.Inputs)
	if err != nil {
		return []string{placePortable + ": inputs: " + err.Error()}
	}
	// The outputs are compared by TestPortableActionHasTheSameInterface.
	empty := &yamlNode{m: map[string]*yamlNode{}}
	for _, d := range interfaceDiff(root.get("inputs"), empty, port, empty) {
		out = append(out, placePortable+": "+d)
	}
	var env map[string]string
	for _, s := range doc.Runs.Steps {
		if s.ID == "run" {
			env = s.Env
		}
	}
	for _, in := range ins {
		if want := "${{ inputs." + in.Name + " }}"; env[testutil.InputVar(in.Name)] != want {
			out = append(out, fmt.Sprintf("%s: the run step's env lacks %s: %s", placePortable, testutil.InputVar(in.Name), want))
		}
	}
	return out
}

// readmeRow is one row of the README's inputs table.
type readmeRow struct{ name, def string }

var readmeInputRow = regexp.MustCompile("^\\| `([a-z_]+)` \\|([^|]*)\\|")

// readmeInputs reads the table under the README's "### Inputs" heading.
func readmeInputs(readme []byte) []readmeRow {
	var rows []readmeRow
	in := false
	sc := bufio.NewScanner(bytes.NewReader(readme))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			in = strings.TrimSpace(line) == "### Inputs"
			continue
		}
		if m := readmeInputRow.FindStringSubmatch(line); in && m != nil {
			rows = append(rows, readmeRow{name: m[1], def: strings.TrimSpace(m[2])})
		}
	}
	return rows
}

// envVarDefault is how the README writes a default that action.yml leaves
// empty because the program takes it from the environment: `GITHUB_SHA`.
var envVarDefault = regexp.MustCompile("^`[A-Z][A-Z0-9_]*`$")

// readmeProblems requires one row per input, in action.yml's order, whose
// default column is action.yml's default in backticks; an input without a
// default has an empty column, prose, or the variable the program reads.
func readmeProblems(readme []byte, ins []testutil.Input) []string {
	var out []string
	add := func(format string, args ...any) {
		out = append(out, placeREADME+": "+fmt.Sprintf(format, args...))
	}
	rows := readmeInputs(readme)
	byName := map[string]readmeRow{}
	var order []string
	for _, r := range rows {
		if _, dup := byName[r.name]; dup {
			add("the inputs table lists %s twice", r.name)
		}
		byName[r.name] = r
		order = append(order, r.name)
	}
	declared := map[string]bool{}
	var want []string
	for _, in := range ins {
		declared[in.Name] = true
		want = append(want, in.Name)
		r, ok := byName[in.Name]
		switch {
		case !ok:
			add("the inputs table (### Inputs) has no row for %s", in.Name)
		case in.Default != "" && r.def != "`"+in.Default+"`":
			add("the inputs table gives %s the default %q; action.yml's is `%s`", in.Name, r.def, in.Default)
		case in.Default == "" && strings.HasPrefix(r.def, "`") && !envVarDefault.MatchString(r.def):
			add("the inputs table gives %s the default %s; action.yml has none (write the variable it comes from, prose, or nothing)", in.Name, r.def)
		}
	}
	for _, r := range rows {
		if !declared[r.name] {
			add("the inputs table lists %s, which action.yml does not declare", r.name)
		}
	}
	if len(out) == 0 && !slices.Equal(order, want) {
		add("the inputs table's order %v differs from action.yml's %v", order, want)
	}
	return out
}

// TestEveryInputIsInEveryPlace holds action.yml's inputs to every place that
// must know them.
func TestEveryInputIsInEveryPlace(t *testing.T) {
	t.Parallel()
	for _, p := range inputProblems(realSources(t)) {
		t.Error(p)
	}
}

// TestAForgottenInputIsNamed leaves each real input out of each place in turn,
// in a copy, and requires a problem that names the place and the input.
func TestAForgottenInputIsNamed(t *testing.T) {
	t.Parallel()
	real := realSources(t)
	ins := testutil.ActionInputs(t)
	if len(ins) < 2 {
		t.Fatalf("action.yml declares %d inputs", len(ins))
	}
	type forget struct {
		place string
		edit  func(t *testing.T, s *interfaceSources, name string)
	}
	forgets := map[string]forget{
		"action.yml": {placeAction, func(t *testing.T, s *interfaceSources, name string) {
			s.actionYAML = deleteYAMLKey(t, s.actionYAML, name, "inputs")
			// Forgotten in both action files at once: the parser still reads it.
			s.portableYAML = deleteYAMLKey(t, s.portableYAML, name, "inputs")
		}},
		"portable input": {placePortable, func(t *testing.T, s *interfaceSources, name string) {
			s.portableYAML = deleteYAMLKey(t, s.portableYAML, name, "inputs")
		}},
		"portable env line": {placePortable, func(t *testing.T, s *interfaceSources, name string) {
			s.portableYAML = deleteLine(t, s.portableYAML, "        "+testutil.InputVar(name)+": ")
		}},
		"parser": {placeParser, func(_ *testing.T, s *interfaceSources, name string) {
			s.parse = func(getenv func(string) string) (*inputs.Config, error) {
				return inputs.ParseAll(func(k string) string {
					if k == testutil.InputVar(name) {
						return ""
					}
					return getenv(k)
				})
			}
		}},
		"README row": {placeREADME, func(t *testing.T, s *interfaceSources, name string) {
			_, after, ok := bytes.Cut(s.readme, []byte("\n### Inputs\n"))
			if !ok {
				t.Fatal("README.md: no ### Inputs")
			}
			row := "| `" + name + "` |"
			i := len(s.readme) - len(after) + bytes.Index(after, []byte("\n"+row)) + 1
			end := i + bytes.IndexByte(s.readme[i:], '\n') + 1
			s.readme = slices.Concat(s.readme[:i:i], s.readme[end:])
		}},
		"README default": {placeREADME, func(t *testing.T, s *interfaceSources, name string) {
			var b bytes.Buffer
			in := false
			for _, line := range strings.SplitAfter(string(s.readme), "\n") {
				if strings.HasPrefix(line, "#") {
					in = line == "### Inputs\n"
				}
				if m := readmeInputRow.FindStringSubmatchIndex(line); in && m != nil && line[m[2]:m[3]] == name {
					line = line[:m[4]] + " `other` " + line[m[5]:]
				}
				b.WriteString(line)
			}
			s.readme = b.Bytes()
		}},
		"probe": {placeProbes, func(_ *testing.T, s *interfaceSources, name string) {
			s.probes = maps.Clone(s.probes)
			delete(s.probes, name)
		}},
	}
	for what, f := range forgets {
		t.Run(what, func(t *testing.T) {
			t.Parallel()
			// Every input, so that none passes by luck (one read under another
			// name, a probe that another input's default hides).
			for _, in := range ins {
				s := real
				f.edit(t, &s, in.Name)
				problems := inputProblems(s)
				found := slices.ContainsFunc(problems, func(p string) bool {
					return strings.HasPrefix(p, f.place+": ") && strings.Contains(p, in.Name)
				})
				if !found {
					t.Errorf("%s left out of %s: no problem names %s and the input; got %q", in.Name, what, f.place, problems)
				}
			}
		})
	}
}

// deleteYAMLKey removes key from the mapping under the top-level key parent.
func deleteYAMLKey(t *testing.T, src []byte, key, parent string) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != parent {
			continue
		}
		m := top.Content[i+1]
		for j := 0; j+1 < len(m.Content); j += 2 {
			if m.Content[j].Value == key {
				m.Content = slices.Delete(m.Content, j, j+2)
				out, err := yaml.Marshal(&doc)
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
		}
	}
	t.Fatalf("no %s.%s to delete", parent, key)
	return nil
}

// deleteLine removes the one line that starts with prefix.
func deleteLine(t *testing.T, src []byte, prefix string) []byte {
	t.Helper()
	lines := strings.SplitAfter(string(src), "\n")
	n := len(lines)
	lines = slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
	if len(lines) != n-1 {
		t.Fatalf("%d lines start with %q, want one", n-len(lines), prefix)
	}
	return []byte(strings.Join(lines, ""))
}
