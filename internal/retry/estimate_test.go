package retry

import (
	"strings"
	"testing"
	"time"
)

// TestWindowEstimates: each window alone never takes longer than both, the
// hour window costs nothing below its ceiling, and the edges fall where the
// ceilings are (80 in a minute, 500 in an hour).
func TestWindowEstimates(t *testing.T) {
	t.Parallel()
	for n := 0; n <= 2600; n++ {
		b := BudgetFor(n)
		m, h := b.UnderMinuteWindow(), b.UnderHourWindow()
		if h > b.AtDocumentedPace || m > b.AtDocumentedPace {
			t.Fatalf("%d writes: minute %s, hour %s, both %s", n, m, h, b.AtDocumentedPace)
		}
		if n <= DocumentedPerHour && (h != 0 || m != b.AtDocumentedPace) {
			t.Fatalf("%d writes fit in one hour: hour %s, minute %s, both %s", n, h, m, b.AtDocumentedPace)
		}
	}
	for _, tc := range []struct {
		n          int
		min, hour  time.Duration
		overHourIs bool
	}{
		{1, 0, 0, false},
		{80, 0, 0, false},
		{81, time.Minute, 0, false},
		{500, 6 * time.Minute, 0, false},
		{501, 6 * time.Minute, time.Hour, true},
		{600, 7 * time.Minute, time.Hour, true},
	} {
		b := BudgetFor(tc.n)
		if b.UnderMinuteWindow() != tc.min || b.UnderHourWindow() != tc.hour {
			t.Errorf("%d writes: minute %s, hour %s; want %s, %s", tc.n, b.UnderMinuteWindow(), b.UnderHourWindow(), tc.min, tc.hour)
		}
		if got := strings.Contains(b.Plan(), "do not fit in one hour"); got != tc.overHourIs {
			t.Errorf("%d writes: %q", tc.n, b.Plan())
		}
	}
	if p := BudgetFor(600).Plan(); !strings.Contains(p, "600 content-creating requests") || !strings.Contains(p, "1h1m0s under both") {
		t.Errorf("plan line %q", p)
	}
}
