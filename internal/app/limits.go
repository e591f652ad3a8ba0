package app

import (
	"fmt"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/inputs"
)

// maxAssetSize is GitHub's limit on one asset: every file must be under 2 GiB.
// https://docs.github.com/en/repositories/releasing-projects-on-github/about-releases#storage-and-bandwidth-quotas
const maxAssetSize = 2 << 30

// checkFiles applies the rules GitHub would apply only once the draft exists
// and other files are up: a 0-byte asset is refused (422), and so is one of
// 2 GiB or more. It also refuses delete_other_assets when no file matched,
// which would delete every asset of a release that may be published.
func checkFiles(cfg *inputs.Config, files []assets.File) []error {
	w := cfg.Words
	var errs []error
	for _, f := range files {
		switch {
		case f.Size == 0:
			errs = append(errs, fmt.Errorf("%s: %s is empty (0 bytes); GitHub refuses empty assets, so leave it out or check the step that builds it", w.Input("files"), f.Rel))
		case f.Size >= maxAssetSize:
			errs = append(errs, fmt.Errorf("%s: %s is %s; GitHub takes assets under 2 GiB, so split or compress it", w.Input("files"), f.Rel, assets.FormatSize(f.Size)))
		}
	}
	if cfg.DeleteOther && len(files) == 0 && len(cfg.Files) > 0 {
		errs = append(errs, fmt.Errorf("%s: the patterns matched no file, and %s would then delete every asset of the release; check the step that builds the files, or set %s",
			w.Inputs("delete_other_assets", "files"), w.Set("delete_other_assets", "true"), w.Set("delete_other_assets", "false")))
	}
	return errs
}
