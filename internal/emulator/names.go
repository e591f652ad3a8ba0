package emulator

import "fmt"

// observedNames maps an uploaded file name to the name GitHub stored for it, as
// public reports and recorded sessions show. GitHub does not document its rule.
// The emulator renames from this table alone, never from the code under test
// (internal/assets.GitHubName predicts the same thing), so a wrong prediction
// shows up as a disagreement instead of agreeing by construction.
//
// A name made only of characters GitHub keeps ([A-Za-z0-9._+-]), without a
// leading or trailing "." or a "..", is stored unchanged and needs no entry.
var observedNames = map[string]string{
	"my app.zip":            "my.app.zip",
	"my   app.zip":          "my.app.zip",
	"a .zip":                "a.zip",
	"app windows.exe":       "app.windows.exe",
	"app linux.tar.gz":      "app.linux.tar.gz",
	"my file.txt":           "my.file.txt",
	"my app (linux).tar.gz": "my.app.linux.tar.gz",
	"my app [linux].tar.gz": "my.app.linux.tar.gz",
	"new name!.txt":         "new.name.txt",
	"setup (x64).exe":       "setup.x64.exe",
	"tool[beta].zip":        "tool.beta.zip",
	"a{b}c":                 "a.b.c",
	"build#42.zip":          "build.42.zip",
	"pkg@1.0.tgz":           "pkg.1.0.tgz",
	"a~b,c.txt":             "a.b.c.txt",
	"résumé.pdf":            "resume.pdf",
	"ÉCOLE.txt":             "ECOLE.txt",
	"Ærø.txt":               "AEro.txt",
	"straße.md":             "strasse.md",
	"Łódź.zip":              "Lodz.zip",
	"版本.zip":                "default.zip",
	"app-版本-1.zip":          "app-.-1.zip",
	"rocket🚀.bin":           "rocket.bin",
	"a.🚀.b":                 "a.b",
	".config":               "default.config",
	"..hidden":              "default.hidden",
	" a.txt":                "default.a.txt",
	"a.":                    "a",
	"a...":                  "a",
	"a...b":                 "a.b",
	"notes!":                "notes",
	"...":                   "default",
	"!@#$%^&*()":            "default",
	"🚀🚀":                    "default",
	"dist/app.zip":          "dist.app.zip",
	"a\tb\nc":               "a.b.c",
}

// storedName is the name GitHub stores for an upload called name, and false when
// nobody has observed what GitHub does with such a name.
func storedName(name string) (string, bool) {
	if s, ok := observedNames[name]; ok {
		return s, true
	}
	if keptAsIs(name) {
		return name, true
	}
	return "", false
}

// keptAsIs reports whether GitHub stores name unchanged.
func keptAsIs(name string) bool {
	if name == "" || name[0] == '.' || name[len(name)-1] == '.' {
		return false
	}
	prevDot := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '+' || c == '-' || c == '.'
		if !ok || (c == '.' && prevDot) {
			return false
		}
		prevDot = c == '.'
	}
	return true
}

// unobserved explains a name missing from observedNames: the test needs an
// observation, not a guess.
func unobserved(name string) string {
	return fmt.Sprintf("emulator: GitHub was never observed storing an asset named %q; add what it stores to observedNames in internal/emulator/names.go", name)
}
