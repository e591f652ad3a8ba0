"""Reads one package's go test2json stream (argv[1]) and prints, on one line:
tests that ran, passed, failed; subtests that ran, passed; whether the binary
ended with its own pass; then the failed tests and the self-skipped tests, each
as a comma-separated list ("-" for none). scripts/wine-test reads it."""
import json
import sys

top, sub, ended = {}, {}, False
for line in open(sys.argv[1], errors="replace"):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    t, a = e.get("Test"), e.get("Action")
    if not t:
        ended = ended or a == "pass"
        continue
    if a in ("pass", "fail", "skip"):
        (sub if "/" in t else top)[t] = a


def names(d, action):
    return ",".join(sorted(t for t, a in d.items() if a == action)) or "-"


print(sum(a != "skip" for a in top.values()), sum(a == "pass" for a in top.values()),
      sum(a == "fail" for a in top.values()), sum(a != "skip" for a in sub.values()),
      sum(a == "pass" for a in sub.values()), int(ended), names(top, "fail"),
      ",".join(x for x in (names(top, "skip"), names(sub, "skip")) if x != "-") or "-")
