package publish

import "testing"

// TestFilePublishedURLs: when the publish answer carries no assets, the
// download URLs the draft's listing gave ("untagged-…") are filed under the
// tag, as the published release's page URL shows; a deleted asset keeps its
// entry as it was.
func TestFilePublishedURLs(t *testing.T) {
	t.Parallel()
	const web = "https://github.test/o/r/releases"
	r := &run{runState: runState{reports: []AssetReport{
		{Name: "app.zip", BrowserDownloadURL: web + "/download/untagged-0123abcd/app.zip", Action: ActionUploaded},
		{Name: "a+b.tgz", BrowserDownloadURL: web + "/download/untagged-0123abcd/a+b.tgz", Action: ActionKept},
		{Name: "old.zip", BrowserDownloadURL: web + "/download/untagged-0123abcd/old.zip", Action: ActionDeleted},
	}}}
	r.filePublishedURLs(&Release{HTMLURL: web + "/tag/v1.0%2Fx"})
	want := []string{
		web + "/download/v1.0%2Fx/app.zip",
		web + "/download/v1.0%2Fx/a+b.tgz",
		web + "/download/untagged-0123abcd/old.zip",
	}
	for i, a := range r.reports {
		if a.BrowserDownloadURL != want[i] {
			t.Errorf("%s: %s, want %s", a.Name, a.BrowserDownloadURL, want[i])
		}
	}
	// A page URL of another shape leaves the URLs alone.
	r.filePublishedURLs(&Release{HTMLURL: "https://github.test/o/r/releases/7"})
	if got := r.reports[0].BrowserDownloadURL; got != want[0] {
		t.Errorf("changed by an unknown page URL: %s", got)
	}
}
