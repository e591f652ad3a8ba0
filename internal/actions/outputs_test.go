package actions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// parseOutputFile reads an output file the way the runner does: "name=value" lines
// and "name<<DELIMITER" blocks ended by a line holding only the delimiter.
func parseOutputFile(t *testing.T, path string) []Output {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var outs []Output
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSuffix(lines[i], "\r")
		eq, heredoc := strings.Index(line, "="), strings.Index(line, "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			outs = append(outs, Output{Name: line[:eq], Value: line[eq+1:]})
			continue
		}
		if heredoc < 0 {
			t.Fatalf("line %d %q is neither name=value nor name<<delimiter", i+1, line)
		}
		name, delim := line[:heredoc], line[heredoc+2:]
		var value []string
		for i++; ; i++ {
			if i == len(lines) {
				t.Fatalf("output %q: delimiter %q never closes", name, delim)
			}
			if l := strings.TrimSuffix(lines[i], "\r"); l == delim {
				break
			} else {
				value = append(value, l)
			}
		}
		outs = append(outs, Output{Name: name, Value: strings.Join(value, "\n")})
	}
	return outs
}

func TestWriteOutputsRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "output")
	// The runner's file may already hold other steps' outputs.
	if err := os.WriteFile(path, []byte("earlier=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outs := []Output{
		{Name: "id", Value: "42"},
		{Name: "empty", Value: ""},
		{Name: "heredoc", Value: "x<<EOF\nline\nEOF\nmore"},
		{Name: "inject", Value: "v\nother=injected"},
		{Name: "inject_block", Value: "v\nghadelimiter_\nevil<<X\nX"},
		{Name: "multi-line", Value: "a\n\nb\n"},
		{Name: "json", Value: `[{"name":"a=b<<c"}]`},
	}
	if err := WriteOutputs(path, outs); err != nil {
		t.Fatalf("WriteOutputs: %v", err)
	}
	if err := WriteOutputs(path, []Output{{Name: "second_call", Value: "appended"}}); err != nil {
		t.Fatalf("WriteOutputs: %v", err)
	}
	want := append([]Output{{Name: "earlier", Value: "1"}}, outs...)
	want = append(want, Output{Name: "second_call", Value: "appended"})
	if got := parseOutputFile(t, path); !reflect.DeepEqual(got, want) {
		t.Errorf("outputs read back:\n got %q\nwant %q", got, want)
	}
}

func TestWriteOutputsDelimitersDiffer(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "output")
	if err := WriteOutputs(path, []Output{{"a", "1"}, {"b", "2"}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	_, d1, _ := strings.Cut(lines[0], "<<")
	_, d2, _ := strings.Cut(lines[3], "<<")
	if !strings.HasPrefix(d1, "ghadelimiter_") || len(d1) != len("ghadelimiter_")+32 || d1 == d2 {
		t.Errorf("delimiters %q and %q: want two distinct random ones", d1, d2)
	}
}

func TestWriteOutputsRefuses(t *testing.T) {
	t.Parallel()
	fixed := func() (string, error) { return "DELIM", nil }
	tests := []struct {
		name string
		out  Output
		want string
	}{
		{"value holds the delimiter", Output{"a", "x\nDELIM\nb=c"}, "contains the delimiter"},
		{"name holds the delimiter", Output{"aDELIM", "x"}, "contains the delimiter"},
		{"empty name", Output{"", "x"}, "empty"},
		{"newline in name", Output{"a\nb", "x"}, "output name"},
		{"equals in name", Output{"a=b", "x"}, "output name"},
		{"heredoc in name", Output{"a<<b", "x"}, "output name"},
		{"leading digit", Output{"1a", "x"}, "output name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "output")
			err := writeOutputs(path, []Output{{"good", "1"}, tt.out}, fixed)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("writeOutputs = %v, want an error containing %q", err, tt.want)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the file was written despite the error (stat: %v)", err)
			}
		})
	}
}

func TestWriteOutputsErrors(t *testing.T) {
	t.Parallel()
	if err := WriteOutputs("", []Output{{"a", "b"}}); err == nil || !strings.Contains(err.Error(), "GITHUB_OUTPUT") {
		t.Errorf("empty path: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "output")
	if err := WriteOutputs(missing, []Output{{"a", "b"}}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing directory: %v, want it to wrap os.ErrNotExist", err)
	}
	failing := func() (string, error) { return "", fmt.Errorf("no entropy") }
	if err := writeOutputs(filepath.Join(t.TempDir(), "o"), []Output{{"a", "b"}}, failing); err == nil {
		t.Error("a delimiter error was ignored")
	}
}

func TestAppendSummary(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "summary")
	if err := AppendSummary(path, "# one"); err != nil {
		t.Fatal(err)
	}
	if err := AppendSummary(path, "two\n"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "# one\ntwo\n"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if err := AppendSummary("", "x"); err == nil || !strings.Contains(err.Error(), "GITHUB_STEP_SUMMARY") {
		t.Errorf("empty path: %v", err)
	}
	if err := AppendSummary(path, strings.Repeat("x", stepSummaryLimit+1)); err == nil {
		t.Error("an oversized summary was accepted")
	}
}
