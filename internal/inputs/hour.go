package inputs

import (
	"time"
)

// Values of hour_window.
const (
	HourWindowWait = "wait" // pace across GitHub's hour window, up to hour_window_max_wait
	HourWindowStop = "stop" // do what fits, leave the draft, stop; running again continues
)

// DefaultHourMaxWait is hour_window_max_wait's default, as action.yml says.
// Two hours fit every release GitHub allows: 1,000 assets make about 1,003
// writes, two waits of under an hour each at 500 an hour; and they leave most
// of a GitHub-hosted job's six hours.
const DefaultHourMaxWait = 2 * time.Hour

// hourWindow reads hour_window and hour_window_max_wait: what the run does when
// its writes do not fit in GitHub's hour window of 500 content-creating
// requests. A maximum wait goes only with waiting: with stop it would mean
// nothing, and a user who set both meant one of them.
func (p *parser) hourWindow(c *Config) {
	mode, wait := p.input("hour_window"), p.input("hour_window_max_wait")
	switch mode {
	case "", HourWindowWait:
		c.HourWindowStop = false
	case HourWindowStop:
		c.HourWindowStop = true
	default:
		p.fail("%s: %s is neither %s (pace across GitHub's hour window) nor %s (do what fits, leave the draft, and continue when run again)",
			p.words.Input("hour_window"), quote(mode), quote(HourWindowWait), quote(HourWindowStop))
	}
	c.HourMaxWait = DefaultHourMaxWait
	if wait == "" {
		return
	}
	d, err := time.ParseDuration(wait)
	switch {
	case err != nil || d <= 0:
		p.fail("%s: %s is not a positive duration such as 90m or 2h", p.words.Input("hour_window_max_wait"), quote(wait))
	case c.HourWindowStop:
		p.fail("%s is how long to wait for GitHub's hour window, and %s never waits; leave one of them unset",
			p.words.Input("hour_window_max_wait"), p.words.Set("hour_window", HourWindowStop))
	default:
		c.HourMaxWait = d
	}
}
