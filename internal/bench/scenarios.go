package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// Targets of the scenarios.
const (
	// HugeRSSLimit is the child's peak RSS target for the huge upload: 30 MB.
	HugeRSSLimit = 30_000_000
	// HugeMaxRatio is the most the action may take relative to a plain copy.
	HugeMaxRatio = 2.0
	// ParallelMaxRatio is the most max_parallel=4 may take relative to
	// max_parallel=1 (ideal 0.25).
	ParallelMaxRatio = 0.5
	// StartupLimit is the target for process start to first request.
	StartupLimit = 100 * time.Millisecond
	// ParallelRate caps each upload connection in the parallel scenario.
	ParallelRate = 8 << 20
)

// writeFiles writes n files of size bytes named prefix-NNN.bin under dir/dist.
func writeFiles(dir, prefix string, n int, size int64, seed uint64) error {
	for i := range n {
		p := filepath.Join(dir, "dist", fmt.Sprintf("%s-%03d.bin", prefix, i+1))
		if err := WriteRandomFile(p, size, seed+uint64(i)); err != nil {
			return err
		}
	}
	return nil
}

// outputFile is a GITHUB_OUTPUT path outside every workspace.
func (s *Suite) outputFile() string {
	return filepath.Join(s.cfg.Dir, "logs", fmt.Sprintf("output-%02d", s.nlog+1))
}

// checkAssets records a verdict on how many uploaded assets the release has.
func checkAssets(st *Stage, res *Result, tag string, want int) {
	got, err := st.ReleaseAssets(tag)
	n := fmt.Sprint(len(got))
	if err != nil {
		n = err.Error()
	}
	res.verdict("assets on release "+tag, err == nil && len(got) == want, n, fmt.Sprint(want))
}

// small: three small assets, then an identical re-run that must change nothing.
func (s *Suite) small(ctx context.Context, ss *Stages, res *Result) error {
	st, err := ss.stage(emulator.Options{})
	if err != nil {
		return err
	}
	ws, err := s.workspace("small")
	if err != nil {
		return err
	}
	for i, size := range []int64{1 << 10, 16 << 10, 100 << 10} {
		if err := WriteRandomFile(filepath.Join(ws, "dist", fmt.Sprintf("small-%d.bin", i+1)), size, uint64(i)); err != nil {
			return err
		}
	}
	const tag = "v1.0.0-small"
	first, err := s.runAction(ctx, st, res, "first run", st.ActionEnv(ws, s.outputFile(), tag, "dist/*", nil))
	if err != nil {
		return err
	}
	res.verdict("first run uploads", first.Uploads == 3, fmt.Sprint(first.Uploads), "3")
	again, err := s.runAction(ctx, st, res, "identical re-run", st.ActionEnv(ws, s.outputFile(), tag, "dist/*", nil))
	if err != nil {
		return err
	}
	res.verdict("re-run uploads", again.Uploads == 0, fmt.Sprint(again.Uploads), "0")
	deletes := again.Counts[emulator.RouteDeleteAsset]
	res.verdict("re-run deletes", deletes == 0, fmt.Sprint(deletes), "0")
	checkAssets(st, res, tag, 3)
	return nil
}

// many runs one release with n assets of size bytes each.
func (s *Suite) many(ctx context.Context, ss *Stages, res *Result, n int, size int64) error {
	st, err := ss.stage(emulator.Options{})
	if err != nil {
		return err
	}
	ws, err := s.workspace(res.Scenario)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := writeFiles(ws, res.Scenario, n, size, 100); err != nil {
		return err
	}
	res.notef("wrote %d files of %s in %s", n, fmtMiB(size), fmtDur(time.Since(start)))
	tag := "v1.0.0-" + res.Scenario
	rec, err := s.runAction(ctx, st, res, fmt.Sprintf("%d assets of %s", n, fmtMiB(size)), st.ActionEnv(ws, s.outputFile(), tag, "dist/*", nil))
	if err != nil {
		return err
	}
	if rec.Exit == 0 { // a non-zero exit is a failed verdict already
		res.verdict("failed runs", true, "0", "0")
	}
	checkAssets(st, res, tag, n)
	want := int64(n) * size
	res.verdict("bytes uploaded", rec.UploadBytes == want, fmt.Sprint(rec.UploadBytes), fmt.Sprint(want))
	if rec.Wall > 0 {
		res.notef("%.1f requests per asset; %.1f ms of wall time per asset; %s/s overall",
			float64(rec.Requests)/float64(n), float64(rec.Wall.Microseconds())/1000/float64(n),
			fmtMiB(int64(float64(want)/rec.Wall.Seconds())))
	}
	return nil
}

func (s *Suite) manyMedium(ctx context.Context, ss *Stages, res *Result) error {
	n := 20
	if s.cfg.Quick {
		n = 4
	}
	return s.many(ctx, ss, res, n, 5<<20)
}

func (s *Suite) manySmall(ctx context.Context, ss *Stages, res *Result) error {
	n := 150
	if s.cfg.Quick {
		n = 30
	}
	return s.many(ctx, ss, res, n, 4<<10)
}

// hugeSize is the size of the huge asset.
func (s *Suite) hugeSize() int64 {
	if s.cfg.Quick {
		return 128 << 20
	}
	return 1 << 30
}

// hugeFile writes the huge asset once per suite.
func (s *Suite) hugeFile(res *Result) (string, error) {
	if s.hugePath != "" {
		return s.hugePath, nil
	}
	p := filepath.Join(s.cfg.Dir, "huge", "huge.bin")
	start := time.Now()
	if err := WriteRandomFile(p, s.hugeSize(), 42); err != nil {
		os.Remove(p)
		return "", err
	}
	res.notef("wrote %s to %s in %s", fmtMiB(s.hugeSize()), p, fmtDur(time.Since(start)))
	s.hugePath = p
	return p, nil
}

// huge: one big asset, against a plain streaming copy of the same file.
func (s *Suite) huge(ctx context.Context, ss *Stages, res *Result) error {
	path, err := s.hugeFile(res)
	if err != nil {
		return err
	}
	size := s.hugeSize()
	// Hashing the file here is a reference for what sha256 alone costs, and it
	// puts the file in the page cache before anything is timed.
	start := time.Now()
	if _, err := hashFile(path); err != nil {
		return err
	}
	hashTime := time.Since(start)
	res.notef("sha256 of the file in the bench process (reference): %s, %s/s", fmtDur(hashTime), fmtMiB(int64(float64(size)/hashTime.Seconds())))

	st, err := ss.stage(emulator.Options{})
	if err != nil {
		return err
	}
	rounds := 3
	if s.cfg.Quick {
		rounds = 1
	}
	var copies, actions []Record
	ws := filepath.Dir(path)
	for i := 1; i <= rounds; i++ {
		c, err := s.runCopy(ctx, st, res, fmt.Sprintf("plain copy #%d", i), fmt.Sprintf("copy-%d", i), path)
		if err != nil {
			return err
		}
		copies = append(copies, c)
		tag := fmt.Sprintf("v1.0.0-huge-%d", i)
		a, err := s.runAction(ctx, st, res, fmt.Sprintf("action #%d", i), st.ActionEnv(ws, s.outputFile(), tag, filepath.Base(path), nil))
		if err != nil {
			return err
		}
		actions = append(actions, a)
		res.verdict(fmt.Sprintf("action #%d bytes uploaded", i), a.UploadBytes == size, fmt.Sprint(a.UploadBytes), fmt.Sprint(size))
		res.verdict(fmt.Sprintf("plain copy #%d bytes uploaded", i), c.UploadBytes == size && c.Uploads == 1 && c.ClientErrs+c.ServerErrs == 0, fmt.Sprint(c.UploadBytes), fmt.Sprint(size))
	}
	// An identical re-run hashes the file and uploads nothing: the action's own
	// cost of verifying the asset.
	tag := fmt.Sprintf("v1.0.0-huge-%d", rounds)
	again, err := s.runAction(ctx, st, res, "action re-run (hash only, no upload)", st.ActionEnv(ws, s.outputFile(), tag, filepath.Base(path), nil))
	if err != nil {
		return err
	}
	res.verdict("re-run uploads", again.Uploads == 0, fmt.Sprint(again.Uploads), "0")

	bestCopy, bestAction := fastest(copies), fastest(actions)
	var rss int64
	for _, a := range append(actions, again) {
		rss = max(rss, a.MaxRSS)
	}
	if rss > 0 {
		res.verdict("action peak RSS", rss < HugeRSSLimit, fmtMiB(rss), fmt.Sprintf("< 30 MB (%s)", fmtMiB(HugeRSSLimit)))
	} else {
		res.notef("peak RSS not measured (the action ran in-process)")
	}
	ratio := bestAction.Wall.Seconds() / bestCopy.Wall.Seconds()
	res.verdict("action time / plain copy time", ratio <= HugeMaxRatio,
		fmt.Sprintf("%.2f (%s / %s, fastest of %d each)", ratio, fmtDur(bestAction.Wall), fmtDur(bestCopy.Wall), rounds),
		fmt.Sprintf("<= %.1f", HugeMaxRatio))
	var pairs []string
	for i := range copies {
		pairs = append(pairs, fmt.Sprintf("%.2f", actions[i].Wall.Seconds()/copies[i].Wall.Seconds()))
	}
	res.notef("action / plain copy, round by round: %s", strings.Join(pairs, ", "))
	res.notef("throughput: action %s/s, plain copy %s/s", fmtMiB(int64(float64(size)/bestAction.Wall.Seconds())), fmtMiB(int64(float64(size)/bestCopy.Wall.Seconds())))
	if bestAction.MaxRSS > 0 {
		res.notef("CPU: action %s, plain copy %s (user+sys); the difference is mostly the action's streaming sha256",
			fmtDur(bestAction.User+bestAction.Sys), fmtDur(bestCopy.User+bestCopy.Sys))
		res.notef("action's sha256 verification on a re-run: %s wall, %s CPU for %s (hashing locally before deciding to keep)",
			fmtDur(again.Wall), fmtDur(again.User+again.Sys), fmtMiB(size))
	}
	return nil
}

// fastest returns the record with the least wall time.
func fastest(rs []Record) Record {
	return slices.MinFunc(rs, func(a, b Record) int { return int(a.Wall - b.Wall) })
}

// parallel: four uploads capped at ParallelRate each, one at a time and then four
// at a time.
func (s *Suite) parallel(ctx context.Context, ss *Stages, res *Result) error {
	st, err := ss.stage(emulator.Options{UploadBytesPerSecond: ParallelRate})
	if err != nil {
		return err
	}
	ws, err := s.workspace("parallel")
	if err != nil {
		return err
	}
	const n, size = 4, 4 << 20
	if err := writeFiles(ws, "parallel", n, size, 200); err != nil {
		return err
	}
	one := time.Duration(float64(size) / ParallelRate * float64(time.Second))
	var recs []Record
	for _, p := range []int{1, 4} {
		tag := fmt.Sprintf("v1.0.0-parallel-%d", p)
		r, err := s.runAction(ctx, st, res, fmt.Sprintf("max_parallel=%d", p), st.ActionEnv(ws, s.outputFile(), tag, "dist/*", map[string]string{"INPUT_MAX_PARALLEL": fmt.Sprint(p)}))
		if err != nil {
			return err
		}
		checkAssets(st, res, tag, n)
		recs = append(recs, r)
	}
	serial, par := recs[0], recs[1]
	ratio := par.Wall.Seconds() / serial.Wall.Seconds()
	res.verdict("max_parallel=4 time / max_parallel=1 time", ratio <= ParallelMaxRatio,
		fmt.Sprintf("%.2f (%s / %s)", ratio, fmtDur(par.Wall), fmtDur(serial.Wall)), fmt.Sprintf("<= %.2f (ideal 0.25)", ParallelMaxRatio))
	res.notef("one %s upload at %s/s takes %s: max_parallel=4 wall is %.2f× that, its upload span %.2f× (serial: %.2f×, %.2f×)",
		fmtMiB(size), fmtMiB(ParallelRate), fmtDur(one),
		par.Wall.Seconds()/one.Seconds(), par.UploadSpan.Seconds()/one.Seconds(),
		serial.Wall.Seconds()/one.Seconds(), serial.UploadSpan.Seconds()/one.Seconds())
	if serial.UploadSpan > 0 {
		res.notef("upload span ratio (parallel / serial): %.2f", par.UploadSpan.Seconds()/serial.UploadSpan.Seconds())
	}
	return nil
}

// startup: from just before the process starts to the emulator's first request,
// over dry runs of a one-file release.
func (s *Suite) startup(ctx context.Context, ss *Stages, res *Result) error {
	st, err := ss.stage(emulator.Options{})
	if err != nil {
		return err
	}
	ws, err := s.workspace("startup")
	if err != nil {
		return err
	}
	if err := WriteRandomFile(filepath.Join(ws, "dist", "tiny.bin"), 1<<10, 7); err != nil {
		return err
	}
	runs := 10
	if s.cfg.Quick {
		runs = 5
	}
	var lat []time.Duration
	for i := 1; i <= runs; i++ {
		r, err := s.runAction(ctx, st, res, fmt.Sprintf("dry run #%d", i), st.ActionEnv(ws, s.outputFile(), "v1.0.0-startup", "dist/*", map[string]string{"INPUT_DRY_RUN": "true"}))
		if err != nil {
			return err
		}
		if r.First.IsZero() {
			return fmt.Errorf("dry run #%d made no request", i)
		}
		d := r.First.Sub(r.Start)
		lat = append(lat, d)
		s.printf("   start to first request: %s\n", fmtDur(d))
	}
	slices.Sort(lat)
	med := median(lat)
	res.notef("start to first request over %d runs: min %s, median %s, max %s", runs, fmtDur(lat[0]), fmtDur(med), fmtDur(lat[len(lat)-1]))
	res.verdict("median start to first request", med < StartupLimit, fmtDur(med), "< "+fmtDur(StartupLimit))
	return nil
}

// median of sorted durations.
func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
