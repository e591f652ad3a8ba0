package packaging

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	githubactions "github.com/sethvargo/go-githubactions"
	"gopkg.in/yaml.v3"
)

// portableAction is portable/action.yml: its inputs and outputs as yamlNodes
// (keeping their order), its steps decoded.
type portableAction struct {
	inputs, outputs *yamlNode
	using           string
	steps           []portableStep
}

type portableStep struct {
	ID    string            `yaml:"id"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Uses  string            `yaml:"uses"`
	Env   map[string]string `yaml:"env"`
}

func loadPortable(t *testing.T) *portableAction {
	t.Helper()
	var doc struct {
		Inputs  yaml.Node `yaml:"inputs"`
		Outputs yaml.Node `yaml:"outputs"`
		Runs    struct {
			Using string         `yaml:"using"`
			Steps []portableStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "portable/action.yml")), &doc); err != nil {
		t.Fatalf("portable/action.yml: %v", err)
	}
	ins, err := fromYAML(&doc.Inputs)
	if err != nil {
		t.Fatalf("portable/action.yml inputs: %v", err)
	}
	outs, err := fromYAML(&doc.Outputs)
	if err != nil {
		t.Fatalf("portable/action.yml outputs: %v", err)
	}
	return &portableAction{inputs: ins, outputs: outs, using: doc.Runs.Using, steps: doc.Runs.Steps}
}

// interfaceDiff lists every way the inputs and outputs of the portable action
// differ from the container action's: names and their order, and for each
// input its description, default and required; for each output its
// description. A composite output's value is not compared (the container's
// outputs have none).
func interfaceDiff(rootIns, rootOuts, portIns, portOuts *yamlNode) []string {
	var diffs []string
	diffs = append(diffs, keysDiff("input", rootIns, portIns)...)
	for _, name := range rootIns.keys {
		p := portIns.get(name)
		if p == nil {
			continue
		}
		r := rootIns.get(name)
		for _, field := range []string{"description", "default", "required"} {
			if rv, pv := r.get(field).text(), p.get(field).text(); rv != pv {
				diffs = append(diffs, fmt.Sprintf("input %s: %s is %q in action.yml, %q in portable/action.yml", name, field, rv, pv))
			}
		}
	}
	diffs = append(diffs, keysDiff("output", rootOuts, portOuts)...)
	for _, name := range rootOuts.keys {
		if p := portOuts.get(name); p != nil {
			if rv, pv := rootOuts.get(name).get("description").text(), p.get("description").text(); rv != pv {
				diffs = append(diffs, fmt.Sprintf("output %s: description is %q in action.yml, %q in portable/action.yml", name, rv, pv))
			}
		}
	}
	return diffs
}

func keysDiff(what string, root, port *yamlNode) []string {
	var diffs []string
	for _, k := range root.keys {
		if port.get(k) == nil {
			diffs = append(diffs, fmt.Sprintf("%s %s is in action.yml, not in portable/action.yml", what, k))
		}
	}
	for _, k := range port.keys {
		if root.get(k) == nil {
			diffs = append(diffs, fmt.Sprintf("%s %s is in portable/action.yml, not in action.yml", what, k))
		}
	}
	if len(diffs) == 0 && !slices.Equal(root.keys, port.keys) {
		diffs = append(diffs, fmt.Sprintf("%ss are in a different order: %v in action.yml, %v in portable/action.yml", what, root.keys, port.keys))
	}
	return diffs
}

func TestPortableActionHasTheSameInterface(t *testing.T) {
	t.Parallel()
	root := loadActionYAML(t)
	port := loadPortable(t)
	for _, d := range interfaceDiff(root.get("inputs"), root.get("outputs"), port.inputs, port.outputs) {
		t.Error(d)
	}
	// Both files losing an output together is caught by
	// TestActionYAMLListsEveryOutput, an input by TestEveryInputIsInEveryPlace.
}

// TestPortableInterfaceDiffCatchesDrift changes one action.yml in each way the
// two can drift apart, and requires interfaceDiff to name the change.
func TestPortableInterfaceDiffCatchesDrift(t *testing.T) {
	t.Parallel()
	scalar := func(s string) *yamlNode { return &yamlNode{scalar: s} }
	cases := []struct {
		name, want string
		edit       func(ins, outs *yamlNode)
	}{
		{"input added", "input extra is in portable/action.yml, not in action.yml", func(ins, _ *yamlNode) {
			ins.keys = append(ins.keys, "extra")
			ins.m["extra"] = &yamlNode{keys: []string{"description"}, m: map[string]*yamlNode{"description": scalar("x")}}
		}},
		{"input removed", "input dry_run is in action.yml, not in portable/action.yml", func(ins, _ *yamlNode) {
			ins.keys = slices.DeleteFunc(ins.keys, func(k string) bool { return k == "dry_run" })
			delete(ins.m, "dry_run")
		}},
		{"default changed", `input max_parallel: default is "4" in action.yml, "8" in portable/action.yml`, func(ins, _ *yamlNode) {
			ins.m["max_parallel"].m["default"] = scalar("8")
		}},
		{"default added", `input tag: default is "" in action.yml, "v1" in portable/action.yml`, func(ins, _ *yamlNode) {
			ins.m["tag"].keys = append(ins.m["tag"].keys, "default")
			ins.m["tag"].m["default"] = scalar("v1")
		}},
		{"required changed", `input files: required is "false" in action.yml, "true" in portable/action.yml`, func(ins, _ *yamlNode) {
			ins.m["files"].m["required"] = scalar("true")
		}},
		{"description changed", `input body: description is`, func(ins, _ *yamlNode) {
			ins.m["body"].m["description"] = scalar("Other text.")
		}},
		{"inputs reordered", "inputs are in a different order", func(ins, _ *yamlNode) {
			ins.keys[0], ins.keys[1] = ins.keys[1], ins.keys[0]
		}},
		{"output added", "output digest is in portable/action.yml, not in action.yml", func(_, outs *yamlNode) {
			outs.keys = append(outs.keys, "digest")
			outs.m["digest"] = &yamlNode{}
		}},
		{"output description changed", "output tag: description is", func(_, outs *yamlNode) {
			outs.m["tag"].m["description"] = scalar("Other text.")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root, port := loadActionYAML(t), loadActionYAML(t)
			if d := interfaceDiff(root.get("inputs"), root.get("outputs"), port.get("inputs"), port.get("outputs")); len(d) != 0 {
				t.Fatalf("identical files differ: %v", d)
			}
			c.edit(port.get("inputs"), port.get("outputs"))
			d := interfaceDiff(root.get("inputs"), root.get("outputs"), port.get("inputs"), port.get("outputs"))
			if len(d) != 1 || !strings.HasPrefix(d[0], c.want) {
				t.Errorf("differences %q, want one starting with %q", d, c.want)
			}
		})
	}
}

// TestPortablePassesEveryInput checks the composite's steps: all run in bash
// (on every runner OS), the install step gets the action's repository and ref,
// and the step that runs the binary maps every input to the variable the
// program reads it from and is the step every output comes from.
func TestPortablePassesEveryInput(t *testing.T) {
	t.Parallel()
	port := loadPortable(t)
	if port.using != "composite" {
		t.Fatalf("runs.using %q, want composite", port.using)
	}
	var install, run *portableStep
	for i, s := range port.steps {
		if s.Shell != "bash" || s.Uses != "" {
			t.Errorf("step %d (%s): shell %q uses %q; want shell: bash run steps only (bash is on every hosted runner, Windows too)", i, s.ID, s.Shell, s.Uses)
		}
		switch s.ID {
		case "install":
			install = &port.steps[i]
		case "run":
			run = &port.steps[i]
		}
	}
	if install == nil || run == nil {
		t.Fatalf("steps %+v: want one with id install and one with id run", port.steps)
	}
	if !strings.Contains(install.Run, `"$GITHUB_ACTION_PATH/install.sh"`) {
		t.Errorf("install step runs %q; want the install.sh next to action.yml", install.Run)
	}
	for k, v := range map[string]string{"ACTION_REPOSITORY": "${{ github.action_repository }}", "ACTION_REF": "${{ github.action_ref }}"} {
		if install.Env[k] != v {
			t.Errorf("install step env %s=%q, want %q", k, install.Env[k], v)
		}
	}
	if run.Env["RELEASE_ACTION_BIN"] != "${{ steps.install.outputs.path }}" || !strings.Contains(run.Run, `"$RELEASE_ACTION_BIN"`) {
		t.Errorf("run step env RELEASE_ACTION_BIN=%q run %q; want it to run the binary install found", run.Env["RELEASE_ACTION_BIN"], run.Run)
	}

	if run.Env["MSYS2_ENV_CONV_EXCL"] != "*" {
		t.Errorf("run step env MSYS2_ENV_CONV_EXCL=%q, want *: without it Git Bash on Windows rewrites inputs that look like POSIX paths", run.Env["MSYS2_ENV_CONV_EXCL"])
	}

	mapped := map[string]bool{}
	for _, name := range port.inputs.keys {
		expr := "${{ inputs." + name + " }}"
		var keys []string
		for k, v := range run.Env {
			if v == expr {
				keys = append(keys, k)
			}
		}
		if len(keys) != 1 {
			t.Errorf("input %s: run step env maps it to %v, want exactly one INPUT_ variable", name, keys)
			continue
		}
		mapped[keys[0]] = true
		// The variable must be the one go-githubactions reads for the name.
		act := githubactions.New(githubactions.WithGetenv(func(k string) string {
			if k == keys[0] {
				return "probe"
			}
			return ""
		}))
		if got := act.GetInput(name); got != "probe" {
			t.Errorf("input %s: mapped to %s, which GetInput(%q) does not read", name, keys[0], name)
		}
	}
	for k := range run.Env {
		if strings.HasPrefix(k, "INPUT_") && !mapped[k] {
			t.Errorf("run step env %s=%q is no input of portable/action.yml", k, run.Env[k])
		}
	}

	value := regexp.MustCompile(`^\$\{\{ steps\.run\.outputs\.([a-z_]+) \}\}$`)
	for _, name := range port.outputs.keys {
		v := port.outputs.get(name).get("value").text()
		if m := value.FindStringSubmatch(v); m == nil || m[1] != name {
			t.Errorf("output %s: value %q, want ${{ steps.run.outputs.%s }}", name, v, name)
		}
	}
}
