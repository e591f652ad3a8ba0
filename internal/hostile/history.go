package hostile

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The routes of the history notes_paths reads: a comparison's commits, a
// commit's files, a commit's pull requests.
var (
	Compare     = Route{"GET", "compare/**"}
	GetCommit   = Route{"GET", "commits/*"}
	CommitPulls = Route{"GET", "commits/*/pulls"}
	// HistoryRoutes lists them, for generators.
	HistoryRoutes = []Route{Compare, GetCommit, CommitPulls}
)

// SetField sets Field of the answer's object (of every entry of a list, or of
// the object at Index of a list) to Value: a count that lies, a number that
// names nothing, a type that is not the one documented.
type SetField struct {
	Field string
	Value any
}

func (m SetField) String() string { return fmt.Sprintf("%s set to %#v", m.Field, m.Value) }

func (m SetField) Apply(a *Answer) string {
	return edit(a, func(v any) string {
		var objs []map[string]any
		switch t := v.(type) {
		case map[string]any:
			objs = append(objs, t)
		case []any:
			for _, e := range t {
				if o, ok := e.(map[string]any); ok {
					objs = append(objs, o)
				}
			}
		}
		for _, o := range objs {
			o[m.Field] = m.Value
		}
		if len(objs) == 0 {
			return ""
		}
		return fmt.Sprintf("%s set to %#v in %d objects", m.Field, m.Value, len(objs))
	})
}

// Flood repeats the first entry of the answer's list (or of its object's
// list field Field) until it holds N entries: a page longer than asked for.
type Flood struct {
	Field string // "" for an answer that is a list
	N     int
}

func (m Flood) String() string { return fmt.Sprintf("%q flooded to %d entries", m.Field, m.N) }

func (m Flood) Apply(a *Answer) string {
	return editJSON(a, func(v any) (any, string) {
		list, _ := v.([]any)
		obj, isObj := v.(map[string]any)
		if isObj {
			list, _ = obj[m.Field].([]any)
		}
		if len(list) == 0 {
			return v, ""
		}
		for len(list) < m.N {
			list = append(list, list[0])
		}
		if isObj {
			obj[m.Field] = list
			return obj, fmt.Sprintf("%s flooded to %d entries", m.Field, m.N)
		}
		return list, fmt.Sprintf("flooded to %d entries", m.N)
	})
}

// Refuse answers Status with a message instead of the answer.
type Refuse struct{ Status int }

func (m Refuse) String() string { return fmt.Sprintf("refused with %d", m.Status) }

func (m Refuse) Apply(a *Answer) string {
	a.Status = m.Status
	a.Header = http.Header{"Content-Type": {"application/json"}}
	a.Body = []byte(fmt.Sprintf(`{"message":"%s"}`, strings.ToLower(http.StatusText(m.Status))))
	return fmt.Sprintf("refused with %d", m.Status)
}

// AskPage answers a listing as if it asked for page Page, whatever page it
// asked for: a server that ignores the page number repeats one page for ever.
type AskPage struct{ Page int }

func (m AskPage) String() string { return fmt.Sprintf("answer page %d whatever is asked", m.Page) }

func (AskPage) Apply(*Answer) string { return "" }

func (m AskPage) Ask(r *http.Request) string {
	q := r.URL.Query()
	if r.Method != http.MethodGet || q.Get("page") == strconv.Itoa(m.Page) {
		return ""
	}
	q.Set("page", strconv.Itoa(m.Page))
	r.URL.RawQuery = q.Encode()
	return "answered page " + strconv.Itoa(m.Page)
}

// GenerateHistory returns 1 to 3 rules drawn from seed that lie on the
// history routes: counts and numbers that lie, pages longer than asked,
// duplicated entries, refusals, gzip bombs and dribbles. The same seed gives
// the same rules.
func GenerateHistory(seed uint64) []Rule {
	rng := rand.New(rand.NewPCG(seed, seed^0x7f4a7c159e3779b9))
	anyOf := func(vs ...any) any { return vs[rng.IntN(len(vs))] }
	oneOf := func(rs ...Route) Route { return rs[rng.IntN(len(rs))] }
	makers := []func() (Route, Mutation){
		func() (Route, Mutation) {
			return Compare, SetField{"total_commits", anyOf(-1, 0, 1, 3, 251, int64(1)<<40, "12", nil)}
		},
		func() (Route, Mutation) {
			return Compare, Flood{"commits", anyOf(101, 1000).(int)}
		},
		func() (Route, Mutation) { return oneOf(Compare, GetCommit), AskPage{1} },
		// A comparison that claims a huge range and answers its first page
		// whatever page is asked: only a bound on what is read ends it.
		func() (Route, Mutation) { return Compare, AskPage{1} },
		func() (Route, Mutation) { return GetCommit, Flood{"files", anyOf(301, 3001).(int)} },
		func() (Route, Mutation) {
			return GetCommit, SetField{"files", anyOf(nil, "api/x.go", []any{}, map[string]any{"filename": "api/x.go"})}
		},
		func() (Route, Mutation) { return CommitPulls, Flood{"", anyOf(2, 101, 1000).(int)} },
		func() (Route, Mutation) { return CommitPulls, Duplicate{Index: rng.IntN(3)} },
		func() (Route, Mutation) {
			return CommitPulls, SetField{anyOf("number", "merged_at").(string), anyOf(nil, -5, 0, 999999, "7", "2026-01-01T00:00:00Z")}
		},
		func() (Route, Mutation) {
			return HistoryRoutes[rng.IntN(3)], Refuse{anyOf(403, 404, 409, 422, 500, 502).(int)}
		},
		func() (Route, Mutation) { return HistoryRoutes[rng.IntN(3)], GzipBomb{} },
		func() (Route, Mutation) {
			return HistoryRoutes[rng.IntN(3)], Dribble{Part: []string{"headers", "body"}[rng.IntN(2)], Every: 20 * time.Millisecond}
		},
	}
	rules := make([]Rule, 1+rng.IntN(3))
	for i := range rules {
		route, m := makers[rng.IntN(len(makers))]()
		rules[i] = Rule{Route: route, Occurrence: rng.IntN(4), Mutations: []Mutation{m}}
		if _, ok := m.(AskPage); ok && route == Compare {
			rules[i].Occurrence = 0
			rules[i].Mutations = append(rules[i].Mutations, SetField{"total_commits", anyOf(int64(1)<<40, 20000)})
		}
	}
	return rules
}
