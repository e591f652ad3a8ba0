package assets

import (
	"strings"
	"testing"
)

func TestGitHubName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "app-1.2.3_linux+amd64.tar.gz", "app-1.2.3_linux+amd64.tar.gz"},
		{"space", "my app.zip", "my.app.zip"},
		{"several spaces collapse", "my   app.zip", "my.app.zip"},
		{"space beside dot", "a .zip", "a.zip"},
		{"parentheses", "setup (x64).exe", "setup.x64.exe"},
		{"brackets", "tool[beta].zip", "tool.beta.zip"},
		{"braces", "a{b}c", "a.b.c"},
		{"hash", "build#42.zip", "build.42.zip"},
		{"at sign", "pkg@1.0.tgz", "pkg.1.0.tgz"},
		{"tilde and comma", "a~b,c.txt", "a.b.c.txt"},
		{"accents", "résumé.pdf", "resume.pdf"},
		{"upper accents", "ÉCOLE.txt", "ECOLE.txt"},
		{"ligature and slashed o", "Ærø.txt", "AEro.txt"},
		{"sharp s", "straße.md", "strasse.md"},
		{"latin extended-a", "Łódź.zip", "Lodz.zip"},
		{"cjk", "版本.zip", "default.zip"},
		{"cjk inside", "app-版本-1.zip", "app-.-1.zip"},
		{"emoji", "rocket🚀.bin", "rocket.bin"},
		{"emoji between dots", "a.🚀.b", "a.b"},
		{"leading dot", ".config", "default.config"},
		{"leading dots", "..hidden", "default.hidden"},
		{"leading space", " a.txt", "default.a.txt"},
		{"trailing dot", "a.", "a"},
		{"trailing dots", "a...", "a"},
		{"inner dots", "a...b", "a.b"},
		{"trailing punctuation", "notes!", "notes"},
		{"kept punctuation", "a+b-c_d.e", "a+b-c_d.e"},
		{"leading plus and minus kept", "-+_x", "-+_x"},
		{"case kept", "README.MD", "README.MD"},
		{"empty", "", "default"},
		{"only dots", "...", "default"},
		{"all punctuation", "!@#$%^&*()", "default"},
		{"only emoji", "🚀🚀", "default"},
		{"slash", "dist/app.zip", "dist.app.zip"},
		{"tab and newline", "a\tb\nc", "a.b.c"},
		{"invalid utf-8", "a\xffb", "a.b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := GitHubName(tt.in); got != tt.want {
				t.Errorf("GitHubName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzGitHubName(f *testing.F) {
	for _, s := range []string{
		"", ".", "..", "a.", ".a", "résumé.pdf", "Ærø", "版本", "🚀", "a b(c)[d]#e@f",
		"default", "default.", ".default", "a\xffb", "-", "+.+",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := GitHubName(in)
		if out == "" {
			t.Fatalf("GitHubName(%q) is empty", in)
		}
		for i := 0; i < len(out); i++ {
			if !keptByte(out[i]) {
				t.Fatalf("GitHubName(%q) = %q has %q", in, out, out[i])
			}
		}
		if strings.Contains(out, "..") {
			t.Errorf("GitHubName(%q) = %q has \"..\"", in, out)
		}
		if strings.HasPrefix(out, ".") || strings.HasSuffix(out, ".") {
			t.Errorf("GitHubName(%q) = %q starts or ends with \".\"", in, out)
		}
		if again := GitHubName(out); again != out {
			t.Errorf("not idempotent: GitHubName(%q) = %q, GitHubName(%q) = %q", in, out, out, again)
		}
	})
}

func keptByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == '+' || c == '-'
}
