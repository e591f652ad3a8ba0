package inputs

import (
	"strings"
	"testing"
	"time"
)

func TestHourWindow(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		mode, wait string
		stop       bool
		max        time.Duration
		fail       string // part of the error; "" = valid
	}{
		{"", "", false, 2 * time.Hour, ""},
		{"wait", "", false, 2 * time.Hour, ""},
		{"wait", "90m", false, 90 * time.Minute, ""},
		{"", "3h", false, 3 * time.Hour, ""},
		{"stop", "", true, 2 * time.Hour, ""},
		{"Stop", "", false, 0, `"hour_window"`},
		{"later", "", false, 0, "neither"},
		{"wait", "0s", false, 0, "positive duration"},
		{"wait", "-1h", false, 0, "positive duration"},
		{"wait", "2", false, 0, "positive duration"},
		{"stop", "1h", false, 0, "never waits"},
	} {
		e := minimal()
		e["INPUT_HOUR_WINDOW"] = c.mode
		e["INPUT_HOUR_WINDOW_MAX_WAIT"] = c.wait
		got, err := ParseAll(env(e))
		if c.fail != "" {
			if err == nil || !strings.Contains(err.Error(), c.fail) {
				t.Errorf("%q/%q: error %v, want one containing %s", c.mode, c.wait, err, c.fail)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q/%q: %v", c.mode, c.wait, err)
			continue
		}
		if got.HourWindowStop != c.stop || got.HourMaxWait != c.max {
			t.Errorf("%q/%q: stop %v max %s, want %v %s", c.mode, c.wait, got.HourWindowStop, got.HourMaxWait, c.stop, c.max)
		}
	}
}
