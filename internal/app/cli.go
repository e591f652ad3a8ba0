package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/inputs"
)

// Input is one input of action.yml.
type Input struct {
	Name        string
	Description string
	Default     string
}

// Bool reports whether the input is a switch: it takes true or false, and its
// flag alone means true. prerelease has no default (empty leaves a release's
// flag unchanged), yet it is a yes-or-no question too. An input whose named
// values do not include true (verify: false or download) is not a switch.
func (in Input) Bool() bool {
	if in.Default != "true" && in.Default != "false" && in.Name != "prerelease" {
		return false
	}
	c := in.Choices()
	return len(c) == 0 || slices.Contains(c, "true")
}

// choiceRE finds the values an input's description names, each opening a
// sentence as "value - what it does" (move_tag: "false - ...", "force - ...").
var choiceRE = regexp.MustCompile(`(?:^|[.:] )([a-z][a-z0-9-]*) - `)

// Choices lists the values action.yml's description names for the input, in
// its order; nil when it names fewer than two (a free value, or a switch).
func (in Input) Choices() []string {
	if out := in.Named(); len(out) >= 2 {
		return out
	}
	return nil
}

// Named lists every value action.yml's description names for the input, one
// or more: a switch may name a value beside true and false (prerelease: auto).
func (in Input) Named() []string {
	var out []string
	for _, m := range choiceRE.FindAllStringSubmatch(strings.Join(strings.Fields(in.Description), " "), -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
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
// machine could read it in the process list. --help and --version print on
// stdout; a bad command line prints one line on stderr and exits 2.
func Main(ctx context.Context, args []string, actionYAML []byte, env Env) int {
	if len(args) == 0 {
		return Run(ctx, env)
	}
	errw := env.Stderr
	if errw == nil {
		errw = env.Stdout
	}
	ins, err := ReadInputs(actionYAML)
	if err != nil {
		fmt.Fprintln(errw, "error:", err)
		return exitUsage
	}
	set, code := parseFlags(args, ins, env.Stdout, errw)
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
// when the program should stop (help, version, a bad flag). Help and the version
// go to out, a bad flag's one line to errw.
func parseFlags(args []string, ins []Input, out, errw io.Writer) (map[string]string, int) {
	fs := flag.NewFlagSet("release-action", flag.ContinueOnError)
	// The flag package would print its error and the whole help; one line that
	// names the fix reads better, so it prints nothing and badFlag says it.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	set := map[string]string{}
	var names []string
	for _, in := range ins {
		if in.Name == "token" {
			continue
		}
		names = append(names, in.Name)
		fs.Var(&inputFlag{in: in, set: set}, strings.TrimPrefix(core.Flag(in.Name), "--"), in.Description)
	}
	version := fs.Bool("version", false, "print the version and exit")
	flagArgs, loose := splitArgs(args, ins)
	if err := fs.Parse(flagArgs); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(out, ins)
			return nil, exitOK
		}
		fmt.Fprintln(errw, "error:", badFlag(err, names, ins))
		return nil, exitUsage
	}
	if *version {
		fmt.Fprintln(out, "release-action", Version)
		return nil, exitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errw, "error: unexpected argument %q; every input is a flag, such as --tag v1.2.3 (see release-action --help)\n", fs.Arg(0))
		return nil, exitUsage
	}
	if len(loose) > 0 {
		// gh release upload TAG FILES...: with --tag given, the arguments are
		// the files; without it the first one may be the tag or a file, so the
		// person gets the command that says which.
		if _, ok := set["INPUT_TAG"]; !ok {
			fmt.Fprintf(errw, "error: unexpected argument %q; name the tag with --tag and each file with --files, as in: %s\n", loose[0], ghCommand(flagArgs, loose))
			return nil, exitUsage
		}
		files := loose
		if prev, ok := set["INPUT_FILES"]; ok {
			files = append([]string{prev}, loose...)
		}
		set["INPUT_FILES"] = strings.Join(files, "\n")
	}
	return set, exitOK
}

// splitArgs takes the command line apart the way a gh user writes it: a
// switch's value may follow it after a space when it is one of its values
// (--draft false, --move-tag force); the arguments after --files's value are
// more files (an unquoted --files dist/* reaches the program as several
// arguments); every other argument that is no flag and no flag's value is
// loose, as are all after "--". flagArgs is what the flag package parses.
func splitArgs(args []string, ins []Input) (flagArgs, loose []string) {
	byName := map[string]Input{}
	for _, in := range ins {
		byName[strings.TrimPrefix(core.Flag(in.Name), "--")] = in
	}
	moreFiles := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			loose = append(loose, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if moreFiles {
				flagArgs = append(flagArgs, "--files="+a)
			} else {
				loose = append(loose, a)
			}
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		in, known := byName[name]
		moreFiles = known && in.Name == "files"
		switch {
		case !known || hasValue || i+1 == len(args):
			flagArgs = append(flagArgs, a)
		case in.Bool():
			if next := args[i+1]; takesValue(in, next) {
				flagArgs = append(flagArgs, "--"+name+"="+next)
				i++
				continue
			}
			flagArgs = append(flagArgs, a)
		default: // a value flag: the next argument is its value, whatever it is
			flagArgs = append(flagArgs, "--"+name+"="+args[i+1])
			i++
		}
	}
	return flagArgs, loose
}

// takesValue reports whether v, after a switch and a space, is the switch's
// value: true or false, or one of the values action.yml names for it.
func takesValue(in Input, v string) bool {
	if _, ok := boolWord(v); ok {
		return true
	}
	for _, c := range in.Named() {
		if strings.EqualFold(c, v) {
			return true
		}
	}
	return false
}

func boolWord(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// ghCommand writes the command that does what gh's "TAG FILES..." form asks:
// the flags given, --tag for the first loose argument, --files for the rest.
func ghCommand(flagArgs, loose []string) string {
	words := []string{"release-action"}
	for _, a := range flagArgs {
		words = append(words, shellQuote(a))
	}
	words = append(words, "--tag", shellQuote(loose[0]))
	for _, f := range loose[1:] {
		words = append(words, "--files", shellQuote(f))
	}
	return strings.Join(words, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// The flag package's own words for the two mistakes a person makes most. It
// writes flags with one dash; ours are documented with two.
const (
	undefinedFlag = "flag provided but not defined: "
	missingValue  = "flag needs an argument: "
)

// badFlag says in one line what is wrong with the command line and how to fix it:
// the nearest flag for a typo, where the token goes, a value to give.
func badFlag(err error, inputNames []string, ins []Input) string {
	const more = " (see release-action --help)"
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, undefinedFlag); ok {
		name = strings.TrimLeft(name, "-")
		if name == "token" {
			return "there is no --token flag: set GITHUB_TOKEN or GH_TOKEN instead, since other users of the machine can read a command line"
		}
		if near := inputs.Nearest(name, append(inputNames, "version", "help")); near != "" {
			return fmt.Sprintf("unknown flag --%s; did you mean %s?%s", name, core.Flag(near), more)
		}
		return fmt.Sprintf("unknown flag --%s%s", name, more)
	}
	if name, ok := strings.CutPrefix(msg, missingValue); ok {
		name = strings.TrimLeft(name, "-")
		for _, in := range ins {
			if c := in.Choices(); core.Flag(in.Name) == "--"+name && len(c) > 0 {
				return fmt.Sprintf("flag --%s needs a value, one of %s, such as --%s=%s%s", name, strings.Join(c, "|"), name, c[0], more)
			}
		}
		return fmt.Sprintf("flag --%s needs a value, such as --%s=VALUE%s", name, name, more)
	}
	return msg + more
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

// usage prints --help: the flags in the words of a terminal, where to put the
// token, and the exit codes.
func usage(w io.Writer, ins []Input) {
	fmt.Fprint(w, `release-action creates or updates the GitHub release for a tag and uploads its
assets, idempotently. It runs as a GitHub Action, and from a terminal:

  GITHUB_TOKEN=... release-action --repository owner/name --tag v1.2.3 --files 'dist/*' --dry-run

As with gh release upload, files may also follow the tag's flag as arguments
(release-action --tag v1.2.3 dist/*), and a switch takes its value after a
space or "=" (--draft false, --draft=false).

Results (the outputs, one name=value line each) go to stdout; the log, warnings,
errors and upload progress go to stderr.

Environment:
  GITHUB_TOKEN, GH_TOKEN  the token (there is no flag for it: a command line is
                          visible to other users of the machine)
  GITHUB_API_URL          GitHub Enterprise Server: https://HOST/api/v3
  NO_COLOR                draw the progress bars without colour

Flags (the action's inputs):

`)
	words := flagWords(ins)
	for _, in := range ins {
		if in.Name == "token" {
			continue
		}
		// What the flag takes: its named values, an optional true or false
		// (a switch alone means true), or a value.
		name := core.Flag(in.Name)
		switch {
		case len(in.Choices()) > 0:
			name += " " + strings.Join(in.Choices(), "|")
		case in.Bool():
			name += " [" + strings.Join(append([]string{"true", "false"}, in.Named()...), "|") + "]"
		default:
			name += " VALUE"
		}
		fmt.Fprintf(w, "  %s\n", name)
		desc := words(strings.Join(strings.Fields(in.Description), " "))
		for _, line := range wrap(desc, 72) {
			fmt.Fprintf(w, "        %s\n", line)
		}
		switch {
		case in.Bool() && in.Default == "true":
			// A switch alone means true; false is given as its value.
			fmt.Fprintf(w, "        (default true; turn off with %s=false)\n", core.Flag(in.Name))
		case in.Default != "" && !strings.Contains(in.Default, "${{"):
			fmt.Fprintf(w, "        (default %s)\n", in.Default)
		}
	}
	fmt.Fprint(w, `  --version
        print the version and exit

Exit codes:
  0    done (a dry run: the plan was made)
  1    failed; the errors say what happened
  2    bad flags or inputs; nothing was sent to GitHub
  3    stopped at GitHub's hour window (--hour-window=stop, or
       --hour-window-max-wait spent); the release is not finished:
       run the same command again to continue
  130  interrupted (SIGINT, Ctrl-C)
  143  terminated (SIGTERM)
`)
}

// flagWords returns a function that puts action.yml's descriptions in the words
// of a terminal: an input written as a name with an underscore
// ("working_directory") becomes its flag, and one written with a value
// ("generate_release_notes: true") becomes --flag=value. Names without an
// underscore (body, files) are left alone, since they are ordinary words too.
func flagWords(ins []Input) func(string) string {
	var names []string
	for _, in := range ins {
		if strings.Contains(in.Name, "_") {
			names = append(names, regexp.QuoteMeta(in.Name))
		}
	}
	if len(names) == 0 {
		return func(s string) string { return s }
	}
	re := regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b(: (true|false))?`)
	return func(s string) string {
		return re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			f := core.Flag(sub[1])
			if sub[3] != "" {
				f += "=" + sub[3]
			}
			return f
		})
	}
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
