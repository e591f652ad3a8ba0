package publish

// What happened to an asset, as reported in the assets output and the step summary.
const (
	ActionUploaded = "uploaded" // new name on the release
	ActionReplaced = "replaced" // an asset of that name existed with other content, or broken
	ActionKept     = "kept"     // an asset of that name already held the same content
	ActionDeleted  = "deleted"  // removed by delete_other_assets
)

// AssetReport is one entry of the assets output. Field names are the public contract.
type AssetReport struct {
	Name               string `json:"name"`
	Label              string `json:"label"`
	ID                 int64  `json:"id"`
	URL                string `json:"url"`
	BrowserDownloadURL string `json:"browser_download_url"`
	Size               int64  `json:"size"`
	Digest             string `json:"digest"`
	State              string `json:"state"`
	ContentType        string `json:"content_type"`
	Action             string `json:"action"`
}

// Result is what a run did; the caller turns it into outputs and a step summary.
type Result struct {
	Release   *Release // nil only in a dry run for a release that does not exist yet
	Tag       string
	Created   bool // this run created the release
	Published bool // this run turned a draft into a published release
	Changed   bool // this run changed the release or its assets in any way
	DryRun    bool
	Assets    []AssetReport // sorted by name
	Plan      []Step        // the asset plan of a dry run
	Warnings  []string
}
