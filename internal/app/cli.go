package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Input is one input of action.yml.
type Input struct {
	Name        string
	Description string
	Default     string
}

// Bool reports whether the input takes true or false. prerelease has no default
// (empty leaves a release's flag unchanged), yet it is a yes-or-no question too.
func (in Input) Bool() bool {
	return in.Default == "true" || in.Default == "false" || in.Name == "prerelease"
}

// ReadInputs reads the inputs of an action.yml, sorted by name. action.yml is the
// one list of inputs: the workflow, the flags and --help all come from it.
func ReadInputs(actionYAML []byte) ([]Input, error) {
	var doc struct {
		Inputs map[string]struct {
			Description string `yaml:"description"`
			Default     string `yaml:"default"`
		} `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(actionYAML, &doc); err != nil {
		return nil, fmt.Errorf("action.yml: %w", err)
	}
	if len(doc.Inputs) == 0 {
		return nil, errors.New("action.yml: no inputs")
	}
	var out []Input
	for name, v := range doc.Inputs {
		out = append(out, Input{Name: name, Description: strings.TrimSpace(v.Description), Default: v.Default})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Main runs the action from a terminal or a workflow. In a terminal, flags named
// after the inputs (--tag v1.2.3 --files 'dist/*' --dry-run) set them; the token
// comes from GITHUB_TOKEN or GH_TOKEN, never from a flag, where other users of the
// machine could read it in the process list.
func Main(ctx context.Context, args []string, actionYAML []byte, env Env) int {
	if len(args) == 0 {
		return Run(ctx, env)
	}
	ins, err := ReadInputs(actionYAML)
	if err != nil {
		fmt.Fprintln(env.Stdout, "error:", err)
		return 2
	}
	set, code := parseFlags(args, ins, env.Stdout)
	if set == nil {
		return code
	}
	base := env.Getenv
	env.Getenv = func(k string) string {
		if v, ok := set[k]; ok {
			return v
		}
		return base(k)
	}
	return Run(ctx, env)
}

// parseFlags returns the INPUT_* values the flags set, or nil and an exit code
// when the program should stop (help, version, a bad flag).
func parseFlags(args []string, ins []Input, out io.Writer) (map[string]string, int) {
	fs := flag.NewFlagSet("release-action", flag.ContinueOnError)
	fs.SetOutput(out)
	set := map[string]string{}
	for _, in := range ins {
		if in.Name == "token" {
			continue
		}
		fs.Var(&inputFlag{in: in, set: set}, strings.ReplaceAll(in.Name, "_", "-"), in.Description)
	}
	version := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() { usage(out, ins) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0
		}
		return nil, 2
	}
	if *version {
		fmt.Fprintln(out, "release-action", Version)
		return nil, 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(out, "error: unexpected argument %q; every input is a flag, such as --tag v1.2.3 (see --help)\n", fs.Arg(0))
		return nil, 2
	}
	return set, 0
}

// inputFlag sets INPUT_<NAME>; a boolean input may be given without a value.
type inputFlag struct {
	in  Input
	set map[string]string
}

func (f *inputFlag) String() string { return "" }
func (f *inputFlag) Set(v string) error {
	key := "INPUT_" + strings.ToUpper(f.in.Name)
	if prev, ok := f.set[key]; ok && f.in.Name == "files" {
		v = prev + "\n" + v // --files may repeat
	}
	f.set[key] = v
	return nil
}
func (f *inputFlag) IsBoolFlag() bool { return f.in.Bool() }

func usage(w io.Writer, ins []Input) {
	fmt.Fprint(w, `release-action creates or updates the GitHub release for a tag and uploads its
assets, idempotently. It runs as a GitHub Action, and from a terminal:

  GITHUB_TOKEN=... release-action --repository owner/name --tag v1.2.3 --files 'dist/*' --dry-run

The token comes from GITHUB_TOKEN or GH_TOKEN. GITHUB_API_URL points at GitHub
Enterprise Server (https://HOST/api/v3). Flags (the action's inputs):

`)
	for _, in := range ins {
		if in.Name == "token" {
			continue
		}
		name := "--" + strings.ReplaceAll(in.Name, "_", "-")
		if !in.Bool() {
			name += " VALUE"
		}
		fmt.Fprintf(w, "  %s\n", name)
		desc := strings.Join(strings.Fields(in.Description), " ")
		for _, line := range wrap(desc, 72) {
			fmt.Fprintf(w, "        %s\n", line)
		}
		if in.Default != "" && !strings.Contains(in.Default, "${{") {
			fmt.Fprintf(w, "        (default %s)\n", in.Default)
		}
	}
	fmt.Fprint(w, "  --version\n        print the version and exit\n")
}

func wrap(s string, width int) []string {
	var lines []string
	var cur string
	for _, word := range strings.Fields(s) {
		if cur != "" && len(cur)+1+len(word) > width {
			lines = append(lines, cur)
			cur = word
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
