package app

import (
	"bytes"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

func readActionInputs(t *testing.T) []Input {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	ins, err := ReadInputs(b)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

// parse runs parseFlags and returns what it set, its exit code and its stderr.
func parse(t *testing.T, ins []Input, args ...string) (map[string]string, int, string) {
	t.Helper()
	var out, errw bytes.Buffer
	set, code := parseFlags(args, ins, &out, &errw)
	return set, code, errw.String()
}

// TestGhHabitsWork: what a gh user types works. Every yes-or-no input takes
// its value after a space as after "=", a flag with named values takes each of
// them after a space, several files may follow --files (the shell expands an
// unquoted glob into several arguments), and files may come as positional
// arguments, as gh release upload takes them.
func TestGhHabitsWork(t *testing.T) {
	t.Parallel()
	ins := readActionInputs(t)
	type tc struct {
		args []string
		want map[string]string
	}
	var cases []tc
	for _, in := range ins {
		if !in.Bool() && len(in.Choices()) == 0 {
			continue
		}
		key := "INPUT_" + strings.ToUpper(in.Name)
		flag := core.Flag(in.Name)
		values := in.Choices()
		if len(values) == 0 {
			values = append([]string{"true", "false"}, in.Named()...)
		}
		for _, v := range values {
			cases = append(cases,
				tc{[]string{flag, v, "--tag", "v1"}, map[string]string{key: v, "INPUT_TAG": "v1"}},
				tc{[]string{"--tag", "v1", flag + "=" + v}, map[string]string{key: v, "INPUT_TAG": "v1"}},
				tc{[]string{"--tag", "v1", flag, v}, map[string]string{key: v, "INPUT_TAG": "v1"}},
			)
		}
		if !in.Bool() {
			continue
		}
		// Alone, a switch still means true, and the next flag is a flag.
		cases = append(cases, tc{[]string{flag, "--tag", "v1"}, map[string]string{key: "true", "INPUT_TAG": "v1"}})
	}
	cases = append(cases,
		tc{[]string{"--tag", "v1", "--files", "dist/a.zip", "dist/b.zip", "dist/c.zip"},
			map[string]string{"INPUT_TAG": "v1", "INPUT_FILES": "dist/a.zip\ndist/b.zip\ndist/c.zip"}},
		tc{[]string{"--files", "dist/a.zip", "dist/b.zip", "--tag", "v1", "--draft"},
			map[string]string{"INPUT_TAG": "v1", "INPUT_FILES": "dist/a.zip\ndist/b.zip", "INPUT_DRAFT": "true"}},
		tc{[]string{"--tag", "v1", "dist/a.zip", "dist/b.zip"},
			map[string]string{"INPUT_TAG": "v1", "INPUT_FILES": "dist/a.zip\ndist/b.zip"}},
		tc{[]string{"--tag", "v1", "--draft", "false", "dist/a.zip"},
			map[string]string{"INPUT_TAG": "v1", "INPUT_DRAFT": "false", "INPUT_FILES": "dist/a.zip"}},
		tc{[]string{"--tag", "v1", "--", "--odd-name.zip"},
			map[string]string{"INPUT_TAG": "v1", "INPUT_FILES": "--odd-name.zip"}},
	)
	for _, c := range cases {
		set, code, errs := parse(t, ins, c.args...)
		if code != 0 || errs != "" {
			t.Errorf("%q: exit %d: %s", c.args, code, errs)
			continue
		}
		if !maps.Equal(c.want, set) {
			t.Errorf("%q: set %q, want %q", c.args, set, c.want)
		}
	}
}

// TestGhHabitsGetTheCommandToType: where the intent is ambiguous (gh's
// "upload TAG FILES..." without --tag) the error is one line holding the exact
// command that does it.
func TestGhHabitsGetTheCommandToType(t *testing.T) {
	t.Parallel()
	ins := readActionInputs(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"v1.2.3", "dist/a.zip", "dist/b c.zip"}, "release-action --tag v1.2.3 --files dist/a.zip --files 'dist/b c.zip'"},
		{[]string{"--draft", "v1.2.3", "dist/a.zip"}, "release-action --draft --tag v1.2.3 --files dist/a.zip"},
		{[]string{"v1.2.3"}, "release-action --tag v1.2.3"},
	} {
		set, code, errs := parse(t, ins, c.args...)
		if set != nil || code != exitUsage {
			t.Errorf("%q: exit %d, set %v", c.args, code, set)
		}
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want+"\n") && !strings.Contains(errs, c.want+" ") {
			t.Errorf("%q: want one line with %q, got:\n%s", c.args, c.want, errs)
		}
	}
}

// TestHelpShowsWhichFlagsTakeValues: --help writes each flag with what it
// takes: VALUE, the named values, or an optional true or false for a switch.
func TestHelpShowsWhichFlagsTakeValues(t *testing.T) {
	t.Parallel()
	ins := readActionInputs(t)
	var out bytes.Buffer
	usage(&out, ins)
	help := out.String()
	byName := map[string]Input{}
	for _, in := range ins {
		byName[in.Name] = in
	}
	if got := byName["move_tag"].Choices(); !slices.Equal(got, []string{"false", "true", "force"}) {
		t.Errorf("move_tag choices %q", got)
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		in := byName[name]
		if name == "token" {
			continue
		}
		var want string
		switch {
		case len(in.Choices()) > 0:
			want = core.Flag(name) + " " + strings.Join(in.Choices(), "|")
		case in.Bool():
			want = core.Flag(name) + " [" + strings.Join(append([]string{"true", "false"}, in.Named()...), "|") + "]"
		default:
			want = core.Flag(name) + " VALUE"
		}
		if !strings.Contains(help, "\n  "+want+"\n") {
			t.Errorf("--help lacks the line %q", want)
		}
	}
}

// TestFlagWithoutItsValueNamesTheValues: a flag with named values given alone
// (verify has no true) says which values it takes, in one line.
func TestFlagWithoutItsValueNamesTheValues(t *testing.T) {
	t.Parallel()
	ins := readActionInputs(t)
	for _, in := range ins {
		if in.Bool() || len(in.Choices()) == 0 {
			continue
		}
		flag := core.Flag(in.Name)
		_, code, errs := parse(t, ins, "--tag", "v1", flag)
		want := "error: flag " + flag + " needs a value, one of " + strings.Join(in.Choices(), "|") + ", such as " + flag + "=" + in.Choices()[0] + " (see release-action --help)\n"
		if code != exitUsage || errs != want {
			t.Errorf("%s alone: exit %d, %q; want %q", flag, code, errs, want)
		}
	}
}
