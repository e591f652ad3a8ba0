package hostile

import (
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// backend answers like the releases API would for the few paths used here.
func backend() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/releases"):
			fmt.Fprint(w, `[{"id":1,"tag_name":"v1","url":"http://h/repos/o/r/releases/1","upload_url":"http://h/uploads/repos/o/r/releases/1/assets{?name,label}","html_url":"http://h/o/r/releases/tag/v1"},{"id":2,"tag_name":"v2"}]`)
		case strings.Contains(r.URL.Path, "/releases/tags/"):
			tag := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
			fmt.Fprintf(w, `{"id":7,"tag_name":%q,"url":"http://h/repos/o/r/releases/7","html_url":"http://h/o/r/releases/tag/%s"}`, tag, tag)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found"}`)
		}
	})
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestRouteMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rt     Route
		method string
		path   string
		want   bool
	}{
		{ByTag, "GET", "/repos/o/r/releases/tags/v1", true},
		{ByTag, "GET", "/api/v3/repos/o/r/releases/tags/release/1.0", true},
		{ByTag, "GET", "/repos/o/r/releases/tags", false},
		{GetRelease, "GET", "/repos/o/r/releases/12", true},
		{GetRelease, "GET", "/repos/o/r/releases/latest", false},
		{Latest, "GET", "/repos/o/r/releases/latest", true},
		{ListAssets, "GET", "/repos/o/r/releases/12/assets", true},
		{Upload, "POST", "/api/uploads/repos/o/r/releases/12/assets", true},
		{Upload, "GET", "/uploads/repos/o/r/releases/12/assets", false},
		{UpdateAsset, "PATCH", "/repos/o/r/releases/assets/3", true},
		{Update, "PATCH", "/repos/o/r/releases/assets/3", false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if got := tc.rt.Matches(r); got != tc.want {
			t.Errorf("%s matches %s %s = %v, want %v", tc.rt, tc.method, tc.path, got, tc.want)
		}
	}
}

func TestProxyTellsTheLiesOfItsRules(t *testing.T) {
	t.Parallel()
	p := NewProxy(backend(),
		Rule{Route: ByTag, Occurrence: 2, Mutations: []Mutation{TagName{To: "v0", Consistent: true}}},
		Rule{Route: ListReleases, Mutations: []Mutation{Duplicate{Index: 1}, ForeignRepo{Field: "upload_url", Repo: "x/y", ID: 9}}},
	)
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.Close(); srv.Close() })

	// Only the second request by tag is lied about; the lie is consistent.
	_, first := get(t, srv.URL+"/repos/o/r/releases/tags/v1")
	_, second := get(t, srv.URL+"/repos/o/r/releases/tags/v1")
	_, third := get(t, srv.URL+"/repos/o/r/releases/tags/v1")
	if first != third || !strings.Contains(first, `"tag_name":"v1"`) {
		t.Fatalf("honest answers differ: %s / %s", first, third)
	}
	if !strings.Contains(second, `"tag_name":"v0"`) || !strings.Contains(second, `/releases/tag/v0"`) {
		t.Fatalf("the second answer tells no consistent lie: %s", second)
	}
	// Lies compose: an entry twice, and another repository's upload endpoint.
	_, list := get(t, srv.URL+"/repos/o/r/releases")
	if strings.Count(list, `"id":2`) != 2 || !strings.Contains(list, "/uploads/repos/x/y/releases/9/assets{?name,label}") {
		t.Fatalf("listing: %s", list)
	}
	if told := p.Told(); len(told) != 3 {
		t.Fatalf("told %v, want 3 lies", told)
	}
	// An error answer is passed on untouched.
	p.SetRules(Rule{Route: GetRelease, Mutations: []Mutation{OtherID{To: 5}}})
	if code, body := get(t, srv.URL+"/repos/o/r/releases/3"); code != 404 || !strings.Contains(body, "Not Found") {
		t.Fatalf("error answer rewritten: %d %s", code, body)
	}
}

func TestGzipBombExpandsWithoutEnd(t *testing.T) {
	t.Parallel()
	p := NewProxy(backend(), Rule{Route: ListReleases, Mutations: []Mutation{GzipBomb{}}})
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.Close(); srv.Close() })
	req, _ := http.NewRequest("GET", srv.URL+"/repos/o/r/releases", nil)
	req.Header.Set("Accept-Encoding", "gzip") // read it raw, to count
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	wire := &countingReader{r: resp.Body}
	zr, err := gzip.NewReader(wire)
	if err != nil {
		t.Fatal(err)
	}
	const want = 256 << 20
	n, err := io.Copy(io.Discard, io.LimitReader(zr, want))
	if err != nil || n != want {
		t.Fatalf("expanded %d bytes (%v), want at least %d", n, err, want)
	}
	if wire.n > want/100 {
		t.Fatalf("%d bytes on the wire for %d expanded: not a bomb", wire.n, n)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestDribbleNeverEnds(t *testing.T) {
	t.Parallel()
	for _, part := range []string{"headers", "body"} {
		t.Run(part, func(t *testing.T) {
			t.Parallel()
			p := NewProxy(backend(), Rule{Route: ListReleases, Mutations: []Mutation{Dribble{Part: part, Every: 2 * time.Millisecond}}})
			srv := httptest.NewServer(p)
			t.Cleanup(func() { p.Close(); srv.Close() })
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "GET /repos/o/r/releases HTTP/1.1\r\nHost: x\r\n\r\n")
			// Bytes keep coming, one at a time, past the answer's own length.
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			var got []byte
			buf := make([]byte, 64)
			for len(got) < 300 {
				n, err := conn.Read(buf)
				if err != nil {
					t.Fatalf("after %d bytes: %v", len(got), err)
				}
				got = append(got, buf[:n]...)
			}
			if part == "headers" && strings.Contains(string(got), "\r\n\r\n") {
				t.Fatalf("the headers ended: %q", got)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	tg := Targets{Tag: "v1", DecoyTag: "v0", DecoyID: 4, DecoyAssetID: 5, ForeignRepo: "x/y", ForeignID: 1}
	kinds := map[string]int{}
	for seed := uint64(0); seed < 200; seed++ {
		a, b := fmt.Sprint(Generate(seed, KindIdentity|KindContent|KindBounds, tg)), fmt.Sprint(Generate(seed, KindIdentity|KindContent|KindBounds, tg))
		if a != b {
			t.Fatalf("seed %d: %s then %s", seed, a, b)
		}
		for _, r := range Generate(seed, KindIdentity|KindContent|KindBounds, tg) {
			for _, m := range r.Mutations {
				kinds[fmt.Sprintf("%T", m)]++
			}
		}
	}
	for _, k := range []string{"hostile.TagName", "hostile.ForeignRepo", "hostile.OtherID", "hostile.Duplicate", "hostile.Drift", "hostile.GzipBomb", "hostile.Dribble", "hostile.AskInstead", "hostile.AskAbout"} {
		if kinds[k] == 0 {
			t.Errorf("200 seeds never made a %s (%v)", k, kinds)
		}
	}
	if got := Generate(1, KindBounds, tg); len(got) == 0 {
		t.Fatal("no rules")
	}
}
