package bench

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

func fmtDur(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func fmtMiB(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// fmtCounts renders requests by route, sorted by route name.
func fmtCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// WriteSummary writes the results as Markdown: one table of runs and one of
// verdicts, ready for docs/benchmarks.md.
func WriteSummary(w io.Writer, results []*Result) {
	fmt.Fprintln(w, "| Scenario | Run | Wall | Requests | Uploads | Uploaded | Child peak RSS | Child CPU (user+sys) | Emulator CPU |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|")
	for _, res := range results {
		for _, r := range res.Runs {
			rss, cpu := "n/a", "n/a"
			if r.MaxRSS > 0 {
				rss, cpu = fmtMiB(r.MaxRSS), fmtDur(r.User+r.Sys)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %s | %s | %s | %s |\n",
				res.Scenario, r.Label, fmtDur(r.Wall), r.Requests, r.Uploads, fmtMiB(r.UploadBytes), rss, cpu, fmtDur(r.ServerCPU))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Scenario | Target | Measured | Wanted | Verdict |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, res := range results {
		for _, v := range res.Verdicts {
			word := "FAIL"
			if v.Pass {
				word = "PASS"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", v.Scenario, v.Name, v.Measured, v.Target, word)
		}
		if res.Err != nil {
			fmt.Fprintf(w, "| %s | completes | %s | no error | FAIL |\n", res.Scenario, strings.ReplaceAll(res.Err.Error(), "|", "/"))
		}
	}
}
