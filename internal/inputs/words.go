package inputs

import "github.com/releasekit/release-action/internal/core"

// vocabularyFor picks the words for the environment getenv reads.
func vocabularyFor(getenv func(string) string) core.Vocabulary {
	return core.Vocabulary{Flags: getenv("GITHUB_ACTIONS") != "true"}
}
