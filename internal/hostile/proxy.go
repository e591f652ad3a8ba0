package hostile

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Proxy is a server that lies: an http.Handler in front of another one (the
// emulator) that passes every request on and rewrites the answers its Rules
// select. A lie is told about identity (another tag, repository or id),
// about content (a drifted size or digest), about lists (an entry twice), or
// in the delivery (a gzip bomb, an answer dribbled a byte at a time).
type Proxy struct {
	Next  http.Handler
	Rules []Rule

	mu    sync.Mutex
	count []int    // per rule: requests it matched so far
	told  []string // the lies told, in order
	done  chan struct{}
	once  sync.Once
}

// NewProxy returns a proxy in front of next with rules.
func NewProxy(next http.Handler, rules ...Rule) *Proxy {
	return &Proxy{Next: next, Rules: rules, count: make([]int, len(rules)), done: make(chan struct{})}
}

// SetRules replaces the rules and starts their counts afresh.
func (p *Proxy) SetRules(rules ...Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Rules, p.count = rules, make([]int, len(rules))
}

// Close ends every answer still being dribbled or inflated.
func (p *Proxy) Close() { p.once.Do(func() { close(p.done) }) }

// Told lists the lies told so far ("GET .../releases/tags/v1: tag_name v0").
func (p *Proxy) Told() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.told...)
}

// Route selects requests: a method and a path below /repos/{owner}/{repo}/,
// whatever comes before /repos/ (an API or upload prefix). In the path, "*" is
// one segment, "#" one numeric segment, "**" the rest.
type Route struct {
	Method string
	Path   string
}

// The routes of the releases API.
var (
	ByTag        = Route{"GET", "releases/tags/**"}
	ListReleases = Route{"GET", "releases"}
	GetRelease   = Route{"GET", "releases/#"}
	Latest       = Route{"GET", "releases/latest"}
	Create       = Route{"POST", "releases"}
	Update       = Route{"PATCH", "releases/#"}
	ListAssets   = Route{"GET", "releases/#/assets"}
	UpdateAsset  = Route{"PATCH", "releases/assets/#"}
	Upload       = Route{"POST", "releases/#/assets"}
	Download     = Route{"GET", "releases/assets/#"}
	// Routes lists them, for generators.
	Routes = []Route{ByTag, ListReleases, GetRelease, Latest, Create, Update, ListAssets, UpdateAsset, Upload}
)

func (rt Route) String() string { return rt.Method + " " + rt.Path }

// Matches reports whether r is a request for the route.
func (rt Route) Matches(r *http.Request) bool {
	if r.Method != rt.Method {
		return false
	}
	_, rest, ok := strings.Cut(r.URL.Path, "/repos/")
	if !ok {
		return false
	}
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	if len(segs) < 2 {
		return false
	}
	segs = segs[2:] // owner, repo
	want := strings.Split(rt.Path, "/")
	for i, w := range want {
		if w == "**" {
			return len(segs) > i
		}
		if i >= len(segs) {
			return false
		}
		switch w {
		case "*":
		case "#":
			if _, err := strconv.ParseUint(segs[i], 10, 63); err != nil {
				return false
			}
		default:
			if segs[i] != w {
				return false
			}
		}
	}
	return len(segs) == len(want)
}

// Rule tells the lies in Mutations, in order, on the answers to the requests
// Route selects: every one when Occurrence is 0, else only the Occurrence-th.
type Rule struct {
	Route      Route
	Occurrence int
	Mutations  []Mutation
}

func (r Rule) String() string {
	which := "every"
	if r.Occurrence > 0 {
		which = "occurrence " + strconv.Itoa(r.Occurrence) + " of"
	}
	var ms []string
	for _, m := range r.Mutations {
		ms = append(ms, m.String())
	}
	return fmt.Sprintf("%s %s: %s", which, r.Route, strings.Join(ms, " + "))
}

// Answer is an answer being rewritten.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
	// Deliver, when set, writes the answer instead of the plain way.
	Deliver func(w http.ResponseWriter, r *http.Request, a *Answer, done <-chan struct{})
}

// Mutation is one lie.
type Mutation interface {
	// Apply rewrites a and says what it did, "" when it did nothing.
	Apply(a *Answer) string
	String() string
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var muts []Mutation
	p.mu.Lock()
	for i, rule := range p.Rules {
		if !rule.Route.Matches(r) {
			continue
		}
		p.count[i]++
		if rule.Occurrence == 0 || rule.Occurrence == p.count[i] {
			muts = append(muts, rule.Mutations...)
		}
	}
	p.mu.Unlock()
	if len(muts) == 0 {
		p.Next.ServeHTTP(w, r)
		return
	}
	for _, m := range muts {
		if q, ok := m.(Question); ok {
			if did := q.Ask(r); did != "" {
				p.mu.Lock()
				p.told = append(p.told, r.Method+" "+r.URL.Path+": "+did)
				p.mu.Unlock()
			}
		}
	}
	rec := httptest.NewRecorder()
	p.Next.ServeHTTP(rec, r)
	a := &Answer{Status: rec.Code, Header: rec.Header().Clone(), Body: rec.Body.Bytes()}
	for _, m := range muts {
		if did := m.Apply(a); did != "" {
			p.mu.Lock()
			p.told = append(p.told, r.Method+" "+r.URL.Path+": "+did)
			p.mu.Unlock()
		}
	}
	if a.Deliver != nil {
		a.Deliver(w, r, a, p.done)
		return
	}
	for k, v := range a.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(a.Status)
	w.Write(a.Body)
}

// Question is a lie told by answering another question: it rewrites the
// request before the server behind the proxy sees it. Apply does nothing.
type Question interface {
	Mutation
	Ask(r *http.Request) string
}

// AskInstead answers a GET as if its path said New where it says Old (the
// release for another tag, the assets of another release).
type AskInstead struct{ Old, New string }

func (m AskInstead) String() string { return fmt.Sprintf("answer for %q instead of %q", m.New, m.Old) }

func (AskInstead) Apply(*Answer) string { return "" }

func (m AskInstead) Ask(r *http.Request) string {
	if r.Method != http.MethodGet || m.Old == "" || !strings.Contains(r.URL.Path, m.Old) {
		return ""
	}
	r.URL.Path = strings.Replace(r.URL.Path, m.Old, m.New, 1)
	r.URL.RawPath = ""
	return "answered for " + r.URL.Path
}

// AskAbout answers a GET about release or asset ID instead of the one its path
// names (the first number in it).
type AskAbout struct{ ID int64 }

func (m AskAbout) String() string { return fmt.Sprintf("answer about %d instead", m.ID) }

func (AskAbout) Apply(*Answer) string { return "" }

func (m AskAbout) Ask(r *http.Request) string {
	if r.Method != http.MethodGet {
		return ""
	}
	segs := strings.Split(r.URL.Path, "/")
	for i, seg := range segs {
		if _, err := strconv.ParseUint(seg, 10, 63); err == nil && i > 0 {
			segs[i] = strconv.FormatInt(m.ID, 10)
			r.URL.Path, r.URL.RawPath = strings.Join(segs, "/"), ""
			return "answered for " + r.URL.Path
		}
	}
	return ""
}

// editJSON applies f to the JSON value of a success answer and re-encodes the
// value f returns.
func editJSON(a *Answer, f func(v any) (any, string)) string {
	if a.Status < 200 || a.Status > 299 || len(a.Body) == 0 {
		return ""
	}
	d := json.NewDecoder(bytes.NewReader(a.Body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return ""
	}
	v, did := f(v)
	if did == "" {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	a.Body = b
	return did
}

// edit adapts an edit in place.
func edit(a *Answer, f func(v any) string) string {
	return editJSON(a, func(v any) (any, string) { return v, f(v) })
}

// pick returns the object the lie is about: the answer's object, or the
// index-th entry (modulo the length) of a list.
func pick(v any, index int) map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return t
	case []any:
		if len(t) == 0 {
			return nil
		}
		m, _ := t[((index%len(t))+len(t))%len(t)].(map[string]any)
		return m
	}
	return nil
}

func jsonInt(v any) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v)
	}
	return n.Int64()
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// TagName makes the release say it has another tag. Consistent also changes
// the tag in its html_url, so only what was asked can tell.
type TagName struct {
	To         string
	Index      int
	Consistent bool
}

func (m TagName) String() string {
	return fmt.Sprintf("tag_name %q (entry %d, consistent %v)", m.To, m.Index, m.Consistent)
}

func (m TagName) Apply(a *Answer) string {
	return edit(a, func(v any) string {
		o := pick(v, m.Index)
		old := str(o, "tag_name")
		if o == nil || old == "" || old == m.To {
			return ""
		}
		o["tag_name"] = m.To
		if h := str(o, "html_url"); m.Consistent && strings.HasSuffix(h, "/tag/"+old) {
			o["html_url"] = strings.TrimSuffix(h, old) + m.To
		}
		return fmt.Sprintf("release %v: tag_name %q for %q", o["id"], m.To, old)
	})
}

// ForeignRepo makes URLs name another repository ("owner/name"): Field is
// "url", "upload_url" or "html_url". ID, when set, also names that release
// (on upload_url and url), so the URL points at a release that exists there.
type ForeignRepo struct {
	Field string
	Repo  string
	ID    int64
	Index int
}

func (m ForeignRepo) String() string {
	return fmt.Sprintf("%s in %s (release %d, entry %d)", m.Field, m.Repo, m.ID, m.Index)
}

func (m ForeignRepo) Apply(a *Answer) string {
	return edit(a, func(v any) string {
		o := pick(v, m.Index)
		u := str(o, m.Field)
		if o == nil || u == "" {
			return ""
		}
		nu := foreign(u, m.Repo, m.ID)
		if nu == u {
			return ""
		}
		o[m.Field] = nu
		return fmt.Sprintf("%s %s for %s", m.Field, nu, u)
	})
}

// foreign rewrites the owner/name after "/repos/" (API and upload URLs) or
// at the start of the path (html_url), and the release id after "releases/".
func foreign(u, repo string, id int64) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, path, _ := strings.Cut(rest, "/")
	segs := strings.Split(path, "/")
	at := 0
	for i, s := range segs {
		if s == "repos" {
			at = i + 1
			break
		}
	}
	if at+2 > len(segs) {
		return u
	}
	owner, name, _ := strings.Cut(repo, "/")
	segs[at], segs[at+1] = owner, name
	if id != 0 {
		for i := at + 2; i+1 < len(segs); i++ {
			if segs[i] == "releases" {
				if _, err := strconv.ParseInt(segs[i+1], 10, 64); err == nil {
					segs[i+1] = strconv.FormatInt(id, 10)
				}
				break
			}
		}
	}
	return scheme + "://" + host + "/" + strings.Join(segs, "/")
}

// OtherID makes a release or asset say it has another id. Consistent also
// changes the id its url and upload_url name.
type OtherID struct {
	To         int64
	Index      int
	Consistent bool
}

func (m OtherID) String() string {
	return fmt.Sprintf("id %d (entry %d, consistent %v)", m.To, m.Index, m.Consistent)
}

func (m OtherID) Apply(a *Answer) string {
	return edit(a, func(v any) string {
		o := pick(v, m.Index)
		if o == nil || o["id"] == nil {
			return ""
		}
		old := fmt.Sprint(o["id"])
		to := strconv.FormatInt(m.To, 10)
		if old == to {
			return ""
		}
		o["id"] = json.Number(to)
		if m.Consistent {
			if u := str(o, "url"); strings.HasSuffix(u, "/"+old) {
				o["url"] = strings.TrimSuffix(u, old) + to
			}
			if u := str(o, "upload_url"); u != "" {
				o["upload_url"] = strings.Replace(u, "/"+old+"/assets", "/"+to+"/assets", 1)
			}
		}
		return fmt.Sprintf("id %s for %s", to, old)
	})
}

// Duplicate lists an entry of a list twice (Drift, when set, changes the
// copy's size by that much).
type Duplicate struct {
	Index int
	Drift int64
}

func (m Duplicate) String() string {
	return fmt.Sprintf("entry %d twice (size drift %d)", m.Index, m.Drift)
}

func (m Duplicate) Apply(a *Answer) string {
	return editJSON(a, func(v any) (any, string) {
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return v, ""
		}
		o := pick(list, m.Index)
		cp := map[string]any{}
		for k, x := range o {
			cp[k] = x
		}
		if n, ok := cp["size"].(json.Number); ok && m.Drift != 0 {
			if size, err := n.Int64(); err == nil {
				cp["size"] = json.Number(strconv.FormatInt(size+m.Drift, 10))
			}
		}
		return append(list, cp), fmt.Sprintf("%v listed twice", o["id"])
	})
}

// Drift changes an asset's size by Size and, when Digest is set, one hex digit
// of its digest.
type Drift struct {
	Size   int64
	Digest bool
	Index  int
}

func (m Drift) String() string {
	return fmt.Sprintf("size %+d, digest changed %v (entry %d)", m.Size, m.Digest, m.Index)
}

func (m Drift) Apply(a *Answer) string {
	return edit(a, func(v any) string {
		o := pick(v, m.Index)
		if o == nil || o["size"] == nil {
			return ""
		}
		did := ""
		if n, err := jsonInt(o["size"]); err == nil && m.Size != 0 {
			o["size"] = json.Number(strconv.FormatInt(n+m.Size, 10))
			did = fmt.Sprintf("asset %v: size %d for %d", o["id"], n+m.Size, n)
		}
		if d := str(o, "digest"); m.Digest && len(d) > 8 {
			c := byte('0')
			if d[len(d)-1] == '0' {
				c = '1'
			}
			o["digest"] = d[:len(d)-1] + string(c)
			did += fmt.Sprintf(" asset %v: digest %s", o["id"], o["digest"])
		}
		return did
	})
}

// GzipBomb sends the answer gzip-compressed (Content-Encoding: gzip), as a
// JSON value whose whitespace never ends: a few kilobytes on the wire expand to
// as much as the client will read.
type GzipBomb struct{}

func (GzipBomb) String() string { return "gzip bomb" }

func (GzipBomb) Apply(a *Answer) string {
	if a.Status < 200 || a.Status > 299 {
		return ""
	}
	a.Deliver = deliverBomb
	return "gzip bomb"
}

var bombMember = func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte(" "), 8<<20))
	zw.Close()
	return b.Bytes()
}()

func deliverBomb(w http.ResponseWriter, r *http.Request, a *Answer, done <-chan struct{}) {
	for k, v := range a.Header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(a.Status)
	// A gzip stream may hold many members; a reader reads them as one. The
	// first opens the JSON value, the others add whitespace for ever.
	var first bytes.Buffer
	zw := gzip.NewWriter(&first)
	zw.Write(a.Body[:1])
	zw.Close()
	if _, err := w.Write(first.Bytes()); err != nil {
		return
	}
	repeat(w, r, done, bombMember)
}

// Dribble sends the answer one byte every Every, for ever: Part "headers"
// sends the status line and then a header that never ends, "body" the headers
// and then whitespace before the JSON value that never ends.
type Dribble struct {
	Part  string
	Every time.Duration
}

func (m Dribble) String() string {
	return fmt.Sprintf("dribble the %s, a byte every %s", m.Part, m.Every)
}

func (m Dribble) Apply(a *Answer) string {
	if a.Status < 200 || a.Status > 299 {
		return ""
	}
	every := m.Every
	if every <= 0 {
		every = 50 * time.Millisecond
	}
	part := m.Part
	a.Deliver = func(w http.ResponseWriter, r *http.Request, a *Answer, done <-chan struct{}) {
		dribble(w, r, a, part, every, done)
	}
	return "dribble " + part
}

func dribble(w http.ResponseWriter, r *http.Request, a *Answer, part string, every time.Duration, done <-chan struct{}) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	wait := func() bool {
		select {
		case <-tick.C:
			return true
		case <-r.Context().Done():
		case <-done:
		}
		return false
	}
	if part == "headers" {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		head := fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nX-Dribble: ", a.Status, http.StatusText(a.Status))
		buf.WriteString(head)
		buf.Flush()
		for {
			if !wait() {
				return
			}
			conn.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := conn.Write([]byte("a")); err != nil {
				return
			}
			select {
			case <-done:
				return
			default:
			}
		}
	}
	for k, v := range a.Header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(a.Status)
	f, _ := w.(http.Flusher)
	for {
		if !wait() {
			return
		}
		if _, err := w.Write([]byte(" ")); err != nil {
			return
		}
		if f != nil {
			f.Flush()
		}
	}
}

// Targets are what a generated lie points at: the repository's decoys.
type Targets struct {
	Tag          string // the tag the run is asked for
	DecoyTag     string // another published release's tag
	DecoyID      int64  // its id
	DecoyAssetID int64  // one of its assets
	ForeignRepo  string // a second repository ("owner/name")
	ForeignID    int64  // a release of it
}

// Kinds of lies, for Generate.
type Kind int

const (
	KindIdentity Kind = 1 << iota // tags, repositories, ids, duplicates
	KindContent                   // sizes and digests
	KindBounds                    // gzip bombs and dribbles
	// KindConsistent tells identity lies consistently (the id or tag changed in
	// the URLs too) where the request does not name what the answer must be: a
	// listing's entries, an upload's new asset. No one answer shows them; only
	// a second look, or the run's own plan, can.
	KindConsistent
)

// Generate returns 1 to 3 rules drawn from seed, of the kinds asked, against
// targets. The same seed gives the same rules.
func Generate(seed uint64, kinds Kind, t Targets) []Rule {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var makers []func() (Route, Mutation)
	oneOf := func(rs ...Route) Route { return rs[rng.IntN(len(rs))] }
	releaseRoutes := []Route{ByTag, ListReleases, GetRelease, Latest, Create, Update}
	assetRoutes := []Route{ListAssets, UpdateAsset, Upload}
	// asked are the routes whose request names the release or asset the
	// answer must be about; a consistent lie there is still caught.
	askedTag := map[Route]bool{ByTag: true, Create: true, Update: true}
	askedID := map[Route]bool{GetRelease: true, Update: true, UpdateAsset: true}
	consistent := func(asked map[Route]bool, rt Route) bool {
		if kinds&KindConsistent != 0 {
			return true
		}
		return asked[rt] && rng.IntN(2) == 0
	}
	if kinds&(KindIdentity|KindConsistent) != 0 {
		makers = append(makers,
			func() (Route, Mutation) {
				to := []string{t.DecoyTag, t.Tag, t.Tag + "-other"}[rng.IntN(3)]
				rt := oneOf(releaseRoutes...)
				return rt, TagName{To: to, Index: rng.IntN(4), Consistent: consistent(askedTag, rt)}
			},
			func() (Route, Mutation) {
				f := []string{"url", "upload_url", "html_url"}[rng.IntN(3)]
				return oneOf(releaseRoutes...), ForeignRepo{Field: f, Repo: t.ForeignRepo, ID: t.ForeignID, Index: rng.IntN(4)}
			},
			func() (Route, Mutation) {
				return oneOf(append(releaseRoutes, assetRoutes...)...), ForeignRepo{Field: "url", Repo: t.ForeignRepo, Index: rng.IntN(4)}
			},
			func() (Route, Mutation) {
				rt := oneOf(releaseRoutes...)
				return rt, OtherID{To: []int64{t.DecoyID, t.ForeignID, 999999}[rng.IntN(3)], Index: rng.IntN(4), Consistent: consistent(askedID, rt)}
			},
			func() (Route, Mutation) {
				rt := oneOf(assetRoutes...)
				return rt, OtherID{To: []int64{t.DecoyAssetID, t.DecoyAssetID, 999998}[rng.IntN(3)], Index: rng.IntN(4), Consistent: consistent(askedID, rt)}
			},
			func() (Route, Mutation) {
				return ByTag, AskInstead{Old: "/tags/" + t.Tag, New: "/tags/" + t.DecoyTag}
			},
			func() (Route, Mutation) {
				return oneOf(GetRelease, ListAssets), AskAbout{ID: t.DecoyID}
			},
			func() (Route, Mutation) {
				return oneOf(ListReleases, ListAssets), Duplicate{Index: rng.IntN(4), Drift: []int64{0, 1, -1}[rng.IntN(3)]}
			},
		)
	}
	if kinds&KindContent != 0 {
		makers = append(makers, func() (Route, Mutation) {
			return oneOf(assetRoutes...), Drift{Size: []int64{0, 1, -1, 1000}[rng.IntN(4)], Digest: rng.IntN(2) == 0, Index: rng.IntN(4)}
		})
	}
	if kinds&KindBounds != 0 {
		makers = append(makers,
			func() (Route, Mutation) { return oneOf(append(releaseRoutes, assetRoutes...)...), GzipBomb{} },
			func() (Route, Mutation) {
				return oneOf(append(releaseRoutes, assetRoutes...)...), Dribble{Part: []string{"headers", "body"}[rng.IntN(2)], Every: 20 * time.Millisecond}
			},
		)
	}
	if len(makers) == 0 {
		return nil
	}
	rules := make([]Rule, 1+rng.IntN(3))
	for i := range rules {
		route, m := makers[rng.IntN(len(makers))]()
		rules[i] = Rule{Route: route, Occurrence: rng.IntN(3), Mutations: []Mutation{m}}
		_, question := m.(Question)
		if rng.IntN(4) == 0 && (!question || kinds&KindConsistent != 0) { // lies compose
			// (The answer to another question, made to look like the one asked,
			// is a consistent lie.)
			_, m2 := makers[rng.IntN(len(makers))]()
			rules[i].Mutations = append(rules[i].Mutations, m2)
		}
	}
	return rules
}
