package bench

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The least time under both windows, scaled, is what retry.BudgetFor works out
// for GitHub's, divided by the scale.
func TestHourCaseMinimumIsTheDocumentedOneScaled(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 80, 81, 500, 501, 602, 1003} {
		want := retryBudget(n) / hourScale
		if got := hourFull.minimum(n); got != want {
			t.Errorf("%d writes: %s, want %s", n, got, want)
		}
	}
}

// TestHourScenariosQuick runs both hour scenarios small, in process: the
// waiting run and the stop-then-continue runs each end with one complete
// release. It asserts no timing.
func TestHourScenariosQuick(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"hour-wait", "hour-stop"} {
		var out strings.Builder
		s := NewSuite(Config{Quick: true, Action: InProcess{}, Dir: t.TempDir(), Out: &out})
		start := time.Now()
		res := s.Run(context.Background(), name)
		t.Logf("%s in %s:\n%s", name, time.Since(start), out.String())
		if res.Err != nil {
			t.Fatalf("%s: %v", name, res.Err)
		}
		for _, v := range res.Verdicts {
			if !v.Pass && !strings.Contains(v.Name, "/") && !strings.HasPrefix(v.Name, "limit answers") { // timing; the rest must hold
				t.Errorf("%s: %s", name, v)
			}
		}
	}
}
