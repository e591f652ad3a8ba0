package app

import (
	"fmt"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/inputs"
)

// expectedAssets checks the expected_assets entries against GitHub's naming
// (assets.ParseExpected), one error per entry that can never match, before any
// request.
func expectedAssets(cfg *inputs.Config) ([]assets.Expected, []error) {
	var (
		out  []assets.Expected
		errs []error
	)
	for _, entry := range cfg.ExpectedAssets {
		e, err := assets.ParseExpected(entry)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", cfg.Words.Input("expected_assets"), err))
			continue
		}
		out = append(out, e)
	}
	return out, errs
}
