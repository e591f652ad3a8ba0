package bench

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestSmallScenario runs the small scenario's logic with the action in-process
// and checks what it must prove: an identical re-run uploads and deletes nothing.
// It asserts no timing.
func TestSmallScenario(t *testing.T) {
	var out strings.Builder
	s := NewSuite(Config{Quick: true, Action: InProcess{}, Dir: t.TempDir(), Out: &out})
	res := s.Run(context.Background(), "small")
	t.Log(out.String())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Runs) != 2 {
		t.Fatalf("%d runs, want 2", len(res.Runs))
	}
	first, again := res.Runs[0], res.Runs[1]
	if first.Exit != 0 || again.Exit != 0 {
		t.Fatalf("exit codes %d and %d, want 0 and 0", first.Exit, again.Exit)
	}
	if first.Uploads != 3 {
		t.Errorf("first run made %d uploads, want 3", first.Uploads)
	}
	if again.Uploads != 0 || again.Counts[emulator.RouteUploadAsset] != 0 || again.UploadBytes != 0 {
		t.Errorf("re-run uploaded: %d requests, %d bytes; want none", again.Uploads, again.UploadBytes)
	}
	if n := again.Counts[emulator.RouteDeleteAsset]; n != 0 {
		t.Errorf("re-run made %d deletes, want 0", n)
	}
	if !res.Passed() {
		t.Errorf("verdicts: %v", res.Verdicts)
	}
	var sum strings.Builder
	WriteSummary(&sum, []*Result{res})
	if !strings.Contains(sum.String(), "| small | re-run uploads | 0 | 0 | PASS |") {
		t.Errorf("summary lacks the re-run verdict:\n%s", sum.String())
	}
}

func TestUnknownScenario(t *testing.T) {
	res := NewSuite(Config{Action: InProcess{}, Dir: t.TempDir()}).Run(context.Background(), "nope")
	if res.Err == nil || res.Passed() {
		t.Fatalf("unknown scenario passed: %+v", res)
	}
}

func TestWriteRandomFile(t *testing.T) {
	dir := t.TempDir()
	hash := func(name string, size int64, seed uint64) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := WriteRandomFile(p, size, seed); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() != size {
			t.Fatalf("%s: %d bytes, want %d", name, st.Size(), size)
		}
		h, err := hashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	a, b, c := hash("a", 100_003, 1), hash("b", 100_003, 1), hash("c", 100_003, 2)
	if a != b {
		t.Error("the same seed gave different content")
	}
	if a == c {
		t.Error("different seeds gave the same content")
	}
	hash("odd", 13, 3)
}

func TestMedian(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	if got := median(ms(1, 2, 9)); got != 2*time.Millisecond {
		t.Errorf("median(1,2,9) = %v", got)
	}
	if got := median(ms(1, 3, 5, 9)); got != 4*time.Millisecond {
		t.Errorf("median(1,3,5,9) = %v", got)
	}
}

// sink keeps the test's allocation alive while the child runs.
var sink []byte

// TestLauncherIsolatesPeakRSS checks why the launcher exists: a child started
// from a process holding much memory must not report that memory as its own.
func TestLauncherIsolatesPeakRSS(t *testing.T) {
	// The bench measures Linux rusage; anywhere else this test has nothing to check
	// and must say so rather than pass.
	if _, err := os.Stat("/bin/true"); err != nil || runtime.GOOS != "linux" {
		t.Fatalf("the bench needs Linux and /bin/true (GOOS %s, %v)", runtime.GOOS, err)
	}
	ctx := context.Background()
	root, err := ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "launch")
	if err := Build(ctx, root, "./cmd/bench/internal/launch", bin); err != nil {
		t.Fatal(err)
	}
	sink = make([]byte, 128<<20)
	for i := 0; i < len(sink); i += 4096 {
		sink[i] = 1
	}
	l := &Launcher{Path: bin, Dir: dir}
	floor, err := l.Floor(ctx)
	runtime.KeepAlive(sink)
	if err != nil {
		t.Fatal(err)
	}
	if floor <= 0 || floor >= 64<<20 {
		t.Errorf("/bin/true through the launcher: peak RSS %d bytes; want above 0 and far below the 128 MiB this process holds", floor)
	}
}

func TestWindowMinimum(t *testing.T) {
	for _, c := range []struct {
		n, allow int
		want     time.Duration
	}{
		{0, 80, 0},
		{1, 80, 0},
		{80, 80, 0},
		{81, 80, 10 * time.Second},
		{152, 80, 10 * time.Second},
		{160, 80, 10 * time.Second},
		{161, 80, 20 * time.Second},
		{5, 0, 0},
	} {
		if got := windowMinimum(c.n, c.allow, 10*time.Second); got != c.want {
			t.Errorf("windowMinimum(%d, %d, 10s) = %v, want %v", c.n, c.allow, got, c.want)
		}
	}
}

// TestCollectCountsWritesAndLimitAnswers checks the figures the limit scenarios
// judge by: writes let through and limit answers, apart from reads.
func TestCollectCountsWritesAndLimitAnswers(t *testing.T) {
	st, err := NewStage(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.Emu.Inject(emulator.Fault{Method: emulator.MethodWrite, Kind: emulator.FaultSecondaryLimit, Window: time.Hour, Allow: 2})
	send := func(method, path, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, st.URL+"/repos/"+Repo+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var got []int
	got = append(got, send("POST", "/releases", `{"tag_name":"v1","draft":true}`))
	got = append(got, send("GET", "/releases", ""))
	got = append(got, send("PATCH", "/releases/1", `{"name":"one"}`))
	got = append(got, send("POST", "/releases", `{"tag_name":"v2","draft":true}`))
	got = append(got, send("DELETE", "/releases/1", ""))
	if want := []int{201, 200, 200, 403, 403}; !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	tr, err := st.collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tr.Writes != 2 || tr.Limited != 2 || tr.Requests != 5 {
		t.Fatalf("writes %d, limit answers %d, requests %d; want 2, 2, 5", tr.Writes, tr.Limited, tr.Requests)
	}
}
