package model

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// toy is a generated concurrent program: each process reads and writes
// shared variables in order, and what it writes depends on what it read. It
// stands in for runs of the action to test the search itself.
type toy [][]toyOp

type toyOp struct {
	write bool
	v     int
}

func (p toy) choice(pid, pc int) Choice {
	op := p[pid][pc]
	m := http.MethodGet
	if op.write {
		m = http.MethodPost
	}
	return Choice{Run: pid, Method: m, Route: "var", Path: fmt.Sprintf("/v%d/%d", op.v, pc)}
}

// run executes one schedule; the state it ends in, with every process's view
// and the variables when each process finished, is its result.
func (p toy) run(pick Picker) (string, bool) {
	vars := make([]int, 3)
	local := make([]int, len(p))
	pc := make([]int, len(p))
	atEnd := make([]string, len(p))
	for step := 0; ; step++ {
		var enabled []Choice
		for pid := range p {
			if pc[pid] < len(p[pid]) {
				enabled = append(enabled, p.choice(pid, pc[pid]))
			}
		}
		if len(enabled) == 0 {
			return fmt.Sprint(vars, local, atEnd), true
		}
		i := pick(step, enabled)
		if i < 0 {
			return "", false
		}
		pid := enabled[i].Run
		op := p[pid][pc[pid]]
		if op.write {
			vars[op.v] = vars[op.v]*7 + (pid+1)*13 + local[pid]
		} else {
			local[pid] = local[pid]*31 + vars[op.v]
		}
		pc[pid]++
		if pc[pid] == len(p[pid]) {
			atEnd[pid] = fmt.Sprint(vars)
		}
	}
}

// all enumerates every interleaving without any reduction.
func (p toy) all() (results map[string]bool, n int) {
	results = map[string]bool{}
	var walk func(prefix []int)
	walk = func(prefix []int) {
		var enabledAtEnd []Choice
		res, _ := p.run(func(step int, enabled []Choice) int {
			if step < len(prefix) {
				return indexOf(enabled, prefix[step])
			}
			enabledAtEnd = enabled
			return -1
		})
		if enabledAtEnd == nil {
			results[res] = true
			n++
			return
		}
		for _, c := range enabledAtEnd {
			walk(append(append([]int(nil), prefix...), c.Run))
		}
	}
	walk(nil)
	return results, n
}

func genToy(rng *rand.Rand) toy {
	procs := 2 + rng.IntN(2)
	p := make(toy, procs)
	for i := range p {
		ops := 1 + rng.IntN(3)
		for range ops {
			p[i] = append(p[i], toyOp{write: rng.IntN(3) == 0, v: rng.IntN(2)})
		}
	}
	return p
}

// TestExhaustiveReachesEveryState: on generated programs, the depth-first
// search with sleep sets ends in exactly the states, process views and
// per-process end states that every interleaving reaches, with fewer
// schedules.
func TestExhaustiveReachesEveryState(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	full, reduced := 0, 0
	for i := 0; i < 200; i++ {
		p := genToy(rng)
		want, n := p.all()
		got := map[string]bool{}
		st := exhaustive(func(pick Picker) *Outcome {
			res, done := p.run(pick)
			if done {
				got[res] = true
			}
			return &Outcome{Pruned: !done}
		}, Options{})
		if !st.Exhaustive {
			t.Fatalf("program %d: search did not finish", i)
		}
		if fmt.Sprint(keys(got)) != fmt.Sprint(keys(want)) {
			t.Fatalf("program %v: the reduced search reached\n%s\nevery interleaving reaches\n%s", p, strings.Join(keys(got), "\n"), strings.Join(keys(want), "\n"))
		}
		full += n
		reduced += st.Schedules
	}
	t.Logf("%d interleavings, %d explored with sleep sets", full, reduced)
	if reduced >= full {
		t.Errorf("the reduction explored %d of %d interleavings", reduced, full)
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestParseReplay(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Replay
	}{
		{"replace-same:0,1,1,0", Replay{Case: "replace-same", Choices: []int{0, 1, 1, 0}}},
		{"kill-new@3:1,0", Replay{Case: "kill-new", KillAt: 3, Choices: []int{1, 0}}},
		{"x:", Replay{Case: "x"}},
	} {
		got, err := ParseReplay(tc.in)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ParseReplay(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		o := &Outcome{Case: &Case{Name: tc.want.Case}, KillAt: tc.want.KillAt, Choices: tc.want.Choices}
		if tc.want.KillAt > 0 {
			o.Case.Kill = &Kill{}
		}
		if back := o.Replay(); back != tc.in {
			t.Errorf("Replay() = %q, want %q", back, tc.in)
		}
	}
	for _, bad := range []string{"no-colon", "c@x:1", "c:1,a"} {
		if _, err := ParseReplay(bad); err == nil {
			t.Errorf("ParseReplay(%q) accepted", bad)
		}
	}
}
