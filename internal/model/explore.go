package model

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Stats sums up an exploration.
type Stats struct {
	Schedules  int  // schedules driven to the end and checked
	Pruned     int  // schedules stopped early by the reduction
	Exhaustive bool // every interleaving (up to the reduction) was explored
	Elapsed    time.Duration
	Failure    *Outcome // the first failing schedule, if any
	FailedAt   int      // its number, counting from 1
	Failures   int      // failing schedules (more than 1 only with Options.KeepGoing)
	Limited    bool     // an exhaustive search stopped at Options.Limit
	// Preemptions is, for an exhaustive search, the largest number of
	// preemptions up to which every schedule was explored (-1: not even none).
	Preemptions int
}

// Options shape an exploration.
type Options struct {
	// Limit stops an exhaustive search after this many schedules (0: none).
	Limit int
	// KeepGoing explores on after a failing schedule, counting them.
	KeepGoing bool
	// Deadline, when not zero, stops the exploration once passed (Limited).
	Deadline time.Time
	// Each, when set, sees every outcome.
	Each func(*Outcome)
}

func (opt Options) late() bool { return !opt.Deadline.IsZero() && time.Now().After(opt.Deadline) }

// record counts o in st; it reports whether the exploration stops here.
func (st *Stats) record(o *Outcome, opt Options) bool {
	if opt.Each != nil {
		opt.Each(o)
	}
	if o.Pruned {
		st.Pruned++
	} else {
		st.Schedules++
	}
	if !o.Failed() {
		return false
	}
	st.Failures++
	if st.Failure == nil {
		st.Failure, st.FailedAt = o, st.Schedules+st.Pruned
	}
	return !opt.KeepGoing || o.Err != nil
}

// Add sums two explorations of one case (two kill points, say).
func (st *Stats) Add(s Stats) {
	if st.Failure == nil && s.Failure != nil {
		st.Failure, st.FailedAt = s.Failure, st.Schedules+st.Pruned+s.FailedAt
	}
	st.Schedules += s.Schedules
	st.Pruned += s.Pruned
	st.Failures += s.Failures
	st.Limited = st.Limited || s.Limited
	st.Elapsed += s.Elapsed
}

// Mean is the mean time per schedule, pruned ones included.
func (s Stats) Mean() time.Duration {
	if n := s.Schedules + s.Pruned; n > 0 {
		return s.Elapsed / time.Duration(n)
	}
	return 0
}

// branch is a schedule still to explore: the choices that lead to it, the
// requests held at its last step (to check that replaying the choices brings
// them back), the sleep set after its last choice, and how many preemptions
// its choices make.
type branch struct {
	choices  []int
	enabled  []Choice
	sleep    []Choice
	preempts int
}

// asleep reports whether run's held request is in the sleep set.
func asleep(sleep []Choice, run int) bool {
	for _, c := range sleep {
		if c.Run == run {
			return true
		}
	}
	return false
}

// after is the sleep set once taken goes through, when sleep was the sleep
// set before it and done the siblings explored before it: those that commute
// with taken. Each stays held after taken (a run's held request waits), so
// each stays asleep until a request it does not commute with goes through.
func after(sleep, done []Choice, taken Choice) []Choice {
	var out []Choice
	for _, c := range append(append([]Choice(nil), sleep...), done...) {
		if Independent(c, taken) {
			out = append(out, c)
		}
	}
	return out
}

func sameEnabled(a, b []Choice) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Exhaustive explores every interleaving of c's requests, each schedule
// driven again from scratch, up to opt.Limit schedules. Sleep sets (Godefroid)
// prune orders that only swap commuting requests (see Independent): every
// Mazurkiewicz trace, hence every reachable state, every run's view and the
// state at every run's exit, is still explored. Schedules are explored in
// order of preemptions (a preemption lets another run through while the run
// that went last still holds a request): all schedules with none first, then
// one, and so on, so that a search cut by its limit has covered every
// schedule up to some number of preemptions (Stats.Preemptions). It stops at
// the first failing schedule unless opt.KeepGoing.
func (h *Harness) Exhaustive(c *Case, killAt int, opt Options) Stats {
	return exhaustive(func(pick Picker) *Outcome { return h.Execute(c, killAt, pick) }, opt)
}

// exhaustive is the search over schedules that execute drives, each from
// scratch. Each execution follows a branch's choices, then goes on without
// preempting (the run that went last goes again while it can, else the
// lowest run awake), and leaves every other choice it passes as a new
// branch: every schedule is driven exactly once.
func exhaustive(execute func(Picker) *Outcome, opt Options) Stats {
	start := time.Now()
	st := Stats{Preemptions: -1}
	queue := [][]branch{{{}}} // by preemptions
	for {
		level := 0
		for level < len(queue) && len(queue[level]) == 0 {
			level++
		}
		if level == len(queue) {
			st.Exhaustive = true
			st.Preemptions = len(queue) - 1
			break
		}
		if (opt.Limit > 0 && st.Schedules >= opt.Limit) || opt.late() {
			st.Limited = true
			st.Preemptions = level - 1
			break
		}
		b := queue[level][0]
		queue[level] = queue[level][1:]
		var drift string
		var choices []int
		sleep, preempts := b.sleep, b.preempts
		push := func(nb branch) {
			for len(queue) <= nb.preempts {
				queue = append(queue, nil)
			}
			queue[nb.preempts] = append(queue[nb.preempts], nb)
		}
		pick := func(step int, enabled []Choice) int {
			if step < len(b.choices) {
				if step == len(b.choices)-1 && !sameEnabled(b.enabled, enabled) {
					drift = fmt.Sprintf("step %d held %v the first time and %v now", step, b.enabled, enabled)
					return -1
				}
				choices = append(choices, b.choices[step])
				return indexOf(enabled, b.choices[step])
			}
			prev := -1
			if len(choices) > 0 {
				prev = choices[len(choices)-1]
			}
			var awake []Choice
			for _, c := range enabled {
				if !asleep(sleep, c.Run) {
					awake = append(awake, c)
				}
			}
			if len(awake) == 0 {
				return -1 // every order from here is covered by one explored already
			}
			// The run that went last goes first, then the others in run order.
			first := 0
			for i, c := range awake {
				if c.Run == prev {
					first = i
				}
			}
			order := append([]Choice{awake[first]}, append(append([]Choice(nil), awake[:first]...), awake[first+1:]...)...)
			prevHeld := indexOf(enabled, prev) >= 0
			cost := func(c Choice) int {
				if prevHeld && c.Run != prev {
					return 1
				}
				return 0
			}
			for i, c := range order[1:] {
				push(branch{
					choices:  append(append([]int(nil), choices...), c.Run),
					enabled:  enabled,
					sleep:    after(sleep, order[:i+1], c),
					preempts: preempts + cost(c),
				})
			}
			taken := order[0]
			sleep = after(sleep, nil, taken)
			preempts += cost(taken)
			choices = append(choices, taken.Run)
			return indexOf(enabled, taken.Run)
		}
		o := execute(pick)
		if drift != "" {
			o.Pruned, o.Err = false, &errStuck{"the same choices led to different requests (the model needs runs that only depend on their answers): " + drift}
		}
		if st.record(o, opt) {
			break
		}
	}
	st.Elapsed = time.Since(start)
	return st
}

func indexOf(enabled []Choice, run int) int {
	for i, c := range enabled {
		if c.Run == run {
			return i
		}
	}
	return -1
}

// RandomPicker chooses uniformly among the held requests.
func RandomPicker(rng *rand.Rand) Picker {
	return func(_ int, enabled []Choice) int { return rng.IntN(len(enabled)) }
}

// ReplayPicker follows choices (runs, step by step), then the lowest run.
func ReplayPicker(choices []int) Picker {
	return func(step int, enabled []Choice) int {
		if step < len(choices) {
			return indexOf(enabled, choices[step])
		}
		return 0
	}
}

// Replay is what MODEL_REPLAY holds: "CASE:CHOICES", CHOICES the runs whose
// requests went through, comma-separated; for a kill case, CASE@K with K the
// request at which the run was killed.
type Replay struct {
	Case    string
	KillAt  int
	Choices []int
}

// String is the MODEL_REPLAY value that replays o.
func (o *Outcome) Replay() string {
	name := o.Case.Name
	if o.Case.Kill != nil {
		name += "@" + strconv.Itoa(o.KillAt)
	}
	parts := make([]string, len(o.Choices))
	for i, c := range o.Choices {
		parts[i] = strconv.Itoa(c)
	}
	return name + ":" + strings.Join(parts, ",")
}

// ParseReplay reads a MODEL_REPLAY value.
func ParseReplay(s string) (Replay, error) {
	name, list, ok := strings.Cut(s, ":")
	if !ok {
		return Replay{}, fmt.Errorf("MODEL_REPLAY %q: want CASE:CHOICES, e.g. replace-same:0,1,1,0", s)
	}
	var r Replay
	if n, k, ok := strings.Cut(name, "@"); ok {
		at, err := strconv.Atoi(k)
		if err != nil {
			return Replay{}, fmt.Errorf("MODEL_REPLAY %q: kill request %q: %v", s, k, err)
		}
		name, r.KillAt = n, at
	}
	r.Case = name
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		run, err := strconv.Atoi(f)
		if err != nil {
			return Replay{}, fmt.Errorf("MODEL_REPLAY %q: choice %q: %v", s, f, err)
		}
		r.Choices = append(r.Choices, run)
	}
	return r, nil
}

// Report is a failing schedule as a person reads it: how to replay it, what
// broke, the steps, the state, and every run's log.
func (o *Outcome) Report() string {
	var b strings.Builder
	verdict := "no invariant broken"
	if o.Failed() {
		verdict = "broken"
	}
	fmt.Fprintf(&b, "case %s: %s after %d steps\n", o.Case.Name, verdict, len(o.Steps))
	tags := ""
	if o.Tags != "" {
		tags = "MODEL_TAGS=" + o.Tags + " "
	}
	fmt.Fprintf(&b, "replay: %sMODEL_REPLAY=%q go test -run TestModelReplay -v ./internal/model/\n", tags, o.Replay())
	if o.Err != nil {
		fmt.Fprintf(&b, "model error: %v\n", o.Err)
	}
	for _, v := range o.Violations {
		fmt.Fprintf(&b, "broken: %s\n", v)
	}
	b.WriteString("steps:\n")
	for i, s := range o.Steps {
		fmt.Fprintf(&b, "  %2d %s %s (%s)\n", i, strings.Repeat("    ", s.Run)+"run "+strconv.Itoa(s.Run), s.Method+" "+s.Path, s.Route)
	}
	b.WriteString("state before:\n" + o.Initial.String())
	b.WriteString("state at the end:\n" + o.Final.String())
	for _, r := range o.Runs {
		status := fmt.Sprintf("exit %d", r.Code)
		if r.Killed {
			status = "killed at its request " + strconv.Itoa(o.KillAt)
		} else if r.Stopped != "" {
			status = fmt.Sprintf("sent %s at its request %d, exit %d", r.Stopped, o.KillAt, r.Code)
		} else if r.Signal != "" {
			status = "ended by " + r.Signal
		}
		fmt.Fprintf(&b, "---- run %d (GITHUB_RUN_ID %s, attempt %d, job %s, %s, %d requests) ----\n", r.Index, r.Spec.runID(), r.Attempt, r.Spec.job(), status, r.Requests)
		b.WriteString(indent(r.Stdout))
		if strings.TrimSpace(r.Stderr) != "" {
			b.WriteString("  stderr:\n" + indent(r.Stderr))
		}
		if r.Outputs != nil {
			fmt.Fprintf(&b, "  outputs: id=%s assets=%s\n", r.Outputs["id"], r.Outputs["assets"])
		}
		b.WriteString("  state when it ended:\n" + indent(r.AtExit.String()))
	}
	return b.String()
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n"
}

// Random drives n schedules of c, each choosing uniformly among the held
// requests with a generator seeded by (seed, schedule number), and, for a
// kill case, killing at one of killAts drawn the same way. It stops at the
// first failing schedule unless opt.KeepGoing.
func (h *Harness) Random(c *Case, seed uint64, n int, killAts []int, opt Options) Stats {
	start := time.Now()
	var st Stats
	for i := 0; i < n; i++ {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		killAt := 0
		if len(killAts) > 0 {
			killAt = killAts[rng.IntN(len(killAts))]
		}
		if st.record(h.Execute(c, killAt, RandomPicker(rng)), opt) {
			break
		}
		if opt.late() {
			st.Limited = true
			break
		}
	}
	st.Elapsed = time.Since(start)
	return st
}

// KillPoints returns the requests at which c's killed run can be killed: 1 to
// the number it sends when it runs first, alone. A kill point past the end of
// a run in some schedule kills nothing: the re-run then follows a whole run.
func (h *Harness) KillPoints(c *Case) ([]int, error) {
	if c.Kill == nil {
		return nil, nil
	}
	o := h.Execute(c, 0, func(_ int, enabled []Choice) int {
		if i := indexOf(enabled, c.Kill.Run); i >= 0 {
			return i
		}
		return 0
	})
	if o.Err != nil {
		return nil, o.Err
	}
	n := o.Runs[c.Kill.Run].Requests
	if n == 0 {
		return nil, fmt.Errorf("case %s: run %d sent no request", c.Name, c.Kill.Run)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out, nil
}
