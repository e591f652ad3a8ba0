package inputs

import (
	"strings"
	"testing"
)

// parseNotes parses minimal() with the INPUT_ and GITHUB_ variables of more
// and, when notes, generate_release_notes: true. With wantErr it checks that
// parsing fails saying it, and returns nil; else it returns the Config.
func parseNotes(t *testing.T, more map[string]string, notes bool, wantErr string) *Config {
	t.Helper()
	m := minimal()
	for k, v := range more {
		m[k] = v
	}
	if notes {
		m["INPUT_GENERATE_RELEASE_NOTES"] = "true"
	}
	c, err := ParseAll(env(m))
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error %v, want %q", err, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestNotesInputsNeedGeneratedNotes: every input that shapes the generated
// notes, given without generate_release_notes: true, fails naming both.
func TestNotesInputsNeedGeneratedNotes(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"previous_tag", "notes_config", "previous_tag_prefix", "notes_categories", "notes_paths"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := map[string]string{"INPUT_" + strings.ToUpper(name): map[string]string{
				"previous_tag": "v1.0.0", "notes_config": ".github/release.yml", "previous_tag_prefix": "auto",
				"notes_categories": "conventional", "notes_paths": "api/**"}[name]}
			parseNotes(t, in, false, `input "`+name+`" is only used with generate_release_notes: true`)
			parseNotes(t, in, true, "")
		})
	}
}
