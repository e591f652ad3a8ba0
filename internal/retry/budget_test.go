package retry

import (
	"strings"
	"testing"
	"time"
)

func TestBudgetFor(t *testing.T) {
	for _, c := range []struct {
		n                  int
		pace               time.Duration
		overMinute, overHr bool
	}{
		{0, 0, false, false},
		{1, 0, false, false},
		{80, 0, false, false},
		{81, time.Minute, true, false},
		{160, time.Minute, true, false},
		{161, 2 * time.Minute, true, false},
		{500, 6 * time.Minute, true, false}, // 6 full minutes of 80, then 20 more
		{501, time.Hour, true, true},
		{581, time.Hour + time.Minute, true, true},
		{1000, time.Hour + 6*time.Minute, true, true},
		{1501, 3 * time.Hour, true, true},
	} {
		b := BudgetFor(c.n)
		if b.Writes != c.n || b.AtDocumentedPace != c.pace || b.OverMinute != c.overMinute || b.OverHour != c.overHr {
			t.Errorf("BudgetFor(%d) = %+v, want pace %v, over minute %v, over hour %v", c.n, b, c.pace, c.overMinute, c.overHr)
		}
	}
}

func TestBudgetWarning(t *testing.T) {
	if w := BudgetFor(DocumentedPerHour).Warning(); w != "" {
		t.Errorf("a plan within the hourly budget warns: %q", w)
	}
	w := BudgetFor(1000).Warning()
	for _, want := range []string{"1000 content-creating requests", "about 500 an hour", "80 a minute", "at least 1h6m0s"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q lacks %q", w, want)
		}
	}
}
