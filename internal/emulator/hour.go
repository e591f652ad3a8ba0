package emulator

import "time"

// GitHub's hour window for content-creating requests: about 500 an hour, the
// secondary limit a release with many assets runs into after the minute's 80.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
const (
	GitHubHourAllow  = 500
	GitHubHourWindow = time.Hour
)

// HourLimit is the standing limit that enforces an hour window of allow
// content-creating requests in any sliding span: the one GitHub documents is
// HourLimit(GitHubHourAllow, GitHubHourWindow); tests scale span down to
// seconds (and allow with it) and run the same client code. A refused write
// answers 403 "secondary rate limit" with Retry-After, the whole seconds until
// the window has room, and is not counted.
func HourLimit(allow int, span time.Duration) Fault {
	return Fault{Method: MethodWrite, Kind: FaultSecondaryLimit, Window: span, Allow: allow}
}

// hourLimit installs Options.HourWindow, if set, as the first standing limit.
func (s *Server) hourLimit() {
	if s.opts.HourWindow > 0 {
		s.Inject(HourLimit(s.opts.HourAllow, s.opts.HourWindow))
	}
}
