package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

// TestPlanLineBeforeTheFirstWrite: before the create (the first write), the
// run logs how many writes its plan needs and the time under each window.
func TestPlanLineBeforeTheFirstWrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		uploads int
		want    []string
	}{
		{3, []string{"needs 5 content-creating requests", "no wait under 80 a minute", "no wait under 500 an hour"}},
		{598, []string{"needs 600 content-creating requests", "7m0s under 80 a minute", "1h0m0s under 500 an hour", "1h1m0s under both", "do not fit in one hour"}},
	} {
		f := newFake()
		f.fail["CreateRelease"] = errors.New("stop here")
		var kv []string
		for i := range tc.uploads {
			kv = append(kv, fmt.Sprintf("f%d.txt", i), "x")
		}
		r := newTestRun(t, f, &Job{Settings: core.Settings{Tag: "v1", MaxParallel: 4}, Files: files(t, kv...)})
		if err := r.run(context.Background()); err == nil {
			t.Fatal("the create did not fail")
		}
		logged := strings.Join(r.p.Log.(*logLines).infos, "\n")
		for _, w := range tc.want {
			if !strings.Contains(logged, w) {
				t.Errorf("%d uploads: the log lacks %q before the first write:\n%s", tc.uploads, w, logged)
			}
		}
	}
}
