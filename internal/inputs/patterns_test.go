package inputs

import (
	"reflect"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/core"
)

func TestSplitPatterns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []assets.Pattern
	}{
		{"empty", "", nil},
		{"only separators", " ,\n, \r\n ", nil},
		{"newlines and commas", "a.txt\nb.txt, c.txt\r\nd.txt", []assets.Pattern{{Glob: "a.txt"}, {Glob: "b.txt"}, {Glob: "c.txt"}, {Glob: "d.txt"}}},
		{"comma inside braces", "dist/*.{tar.gz,zip},x", []assets.Pattern{{Glob: "dist/*.{tar.gz,zip}"}, {Glob: "x"}}},
		{"escaped comma", `a\,b,c`, []assets.Pattern{{Glob: `a\,b`}, {Glob: "c"}}},
		{"exclude", "  ! dist/*.sig ", []assets.Pattern{{Glob: "dist/*.sig", Exclude: true}}},
		{"label", "dist/app.tgz # The app ", []assets.Pattern{{Glob: "dist/app.tgz", Label: "The app"}}},
		{"label split at last #", "a#b#c", []assets.Pattern{{Glob: "a#b", Label: "c"}}},
		{"trailing # keeps a # in the name", "notes#1.txt#", []assets.Pattern{{Glob: "notes#1.txt"}}},
		{"exclude with empty label", "!x#", []assets.Pattern{{Glob: "x", Exclude: true}}},
		{"doublestar", "**/*.deb", []assets.Pattern{{Glob: "**/*.deb"}}},
		{"rename", "dist/app-linux-amd64 => app_linux.tar.gz", []assets.Pattern{{Glob: "dist/app-linux-amd64", Name: "app_linux.tar.gz"}}},
		{"rename without spaces", "out/a=>b.zip", []assets.Pattern{{Glob: "out/a", Name: "b.zip"}}},
		{"rename and label", "dist/a.zip => app.zip # The app", []assets.Pattern{{Glob: "dist/a.zip", Name: "app.zip", Label: "The app"}}},
		{"rename of a pattern", "dist/*-linux.tar.gz => linux.tar.gz", []assets.Pattern{{Glob: "dist/*-linux.tar.gz", Name: "linux.tar.gz"}}},
		{"escaped => is part of the path", `dist/a\=>b.txt`, []assets.Pattern{{Glob: `dist/a\=>b.txt`}}},
		{"first unescaped => splits", `dist/a\=>b => c=>d`, []assets.Pattern{{Glob: `dist/a\=>b`, Name: "c=>d"}}},
		{"a name with a # keeps it with a trailing #", "dist/a => notes#1.txt#", []assets.Pattern{{Glob: "dist/a", Name: "notes#1.txt"}}},
		{"two entries, two names", "a => x.zip\nb => y.zip", []assets.Pattern{{Glob: "a", Name: "x.zip"}, {Glob: "b", Name: "y.zip"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := splitFiles(tt.in)
			if err != nil {
				t.Fatalf("splitFiles(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitFiles(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitPatternsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"bad class", "[a-", "not a valid glob"},
		{"exclude with label", "!*.sig#sig", "cannot have a label"},
		{"only a label", "#label", "no path pattern"},
		{"only a bang", "!", "no path pattern"},
		{"unclosed brace ends at the line", "a{b,c\nd,e", `"a{b,c" is not a valid glob`},
		{"rename without a name", "dist/a =>", "no name after =>"},
		{"rename without a path", "=> a.zip", "no path pattern"},
		{"rename of an exclusion", "!dist/a => b", "cannot name an asset"},
		{"rename to a path", "dist/a => sub/b.zip", "path separator"},
		{"rename to a Windows path", `dist/a => sub\b.zip`, "path separator"},
		{"two entries end in one name", "dist/a => app.zip\nbuild/b => app.zip", `"dist/a => app.zip" and "build/b => app.zip" both name the asset "app.zip"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := splitFiles("ok.txt\n" + tt.in)
			if err == nil {
				t.Fatalf("splitFiles(%q) = %+v, want an error", tt.in, got)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, `input "files": `) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q: want it to start with input \"files\" and contain %q", msg, tt.want)
			}
		})
	}
}

func FuzzSplitPatterns(f *testing.F) {
	for _, s := range []string{"", "a,b", "dist/*.{a,b}#L", "!x", " # ", `a\,b`, "a#b#c", "[", "!a#b", "\\", "{,}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pats, err := splitFiles(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), `input "files": `) {
				t.Errorf("error %q does not name the input", err)
			}
			return
		}
		for _, p := range pats {
			if p.Glob == "" {
				t.Errorf("splitFiles(%q): empty glob in %+v", s, p)
			}
			if p.Glob != strings.TrimSpace(p.Glob) || p.Label != strings.TrimSpace(p.Label) {
				t.Errorf("splitFiles(%q): untrimmed %+v", s, p)
			}
			if p.Exclude && p.Label != "" {
				t.Errorf("splitFiles(%q): exclusion with a label %+v", s, p)
			}
			if strings.ContainsAny(p.Glob, "\r\n") || strings.ContainsAny(p.Label, "\r\n") {
				t.Errorf("splitFiles(%q): newline kept in %+v", s, p)
			}
		}
	})
}

// splitFiles parses a files input as a workflow's step gives it.
func splitFiles(s string) ([]assets.Pattern, error) {
	return splitPatterns(s, core.Vocabulary{}.Input("files"))
}
