package emulator

import (
	"testing"

	"github.com/releasekit/release-action/internal/assets"
)

// TestObservedNamesAgreeWithThePrediction checks the code under test against
// the emulator's own observations: internal/assets.GitHubName must predict the
// name GitHub was seen to store for every entry.
func TestObservedNamesAgreeWithThePrediction(t *testing.T) {
	t.Parallel()
	for in, want := range observedNames {
		if got := assets.GitHubName(in); got != want {
			t.Errorf("GitHubName(%q) = %q; GitHub was observed to store %q", in, got, want)
		}
	}
	for _, kept := range []string{"app-1.2.3_linux+amd64.tar.gz", "README.MD", "-+_x", "SHA256SUMS"} {
		if got, ok := storedName(kept); !ok || got != kept {
			t.Errorf("storedName(%q) = %q, %v; want it kept", kept, got, ok)
		}
		if got := assets.GitHubName(kept); got != kept {
			t.Errorf("GitHubName(%q) = %q; GitHub keeps such names", kept, got)
		}
	}
}

// TestUnobservedNamesAreRefused: the emulator never guesses a renaming.
func TestUnobservedNamesAreRefused(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"never seen (x).zip", "a..b", ".x", "x.", ""} {
		if got, ok := storedName(name); ok {
			t.Errorf("storedName(%q) = %q; want it refused as unobserved", name, got)
		}
	}
}
