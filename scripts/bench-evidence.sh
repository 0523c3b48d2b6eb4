#!/usr/bin/env bash
# Benchmark relcheck's streaming evidence readers against the floor: quick-xml alone
# tokenising the same file (bench/baseline's `xml-floor`). Writes a 200 MB Cobertura report
# and a 50 MB JUnit report of 200,000 test cases (scripts/bench-evidence-gen.py), then times
# `relcheck check` of a manifest linking each (and of the same manifest without reports),
# ROUNDS rounds, the commands in turn within each round. Prints a Markdown table of median
# wall time, median CPU time (user + system) and peak resident memory, with the ratios to
# the floor (docs/performance.md, "Evidence readers"). A second baseline,
# `xml-floor --attributes`, also walks and normalises every attribute. With `instructions`
# instead of ROUNDS, counts each run's instructions with valgrind's callgrind (repeatable
# whatever else the machine does) and prints them with the ratios to the floor.
#
# Usage: scripts/bench-evidence.sh [ROUNDS]      (default 5)
#        scripts/bench-evidence.sh instructions  (needs valgrind; a few minutes)
# Needs: python3, GNU time (/usr/bin/time). Files go to target/bench-evidence/ (kept: delete the folder to regenerate).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
[[ $rounds =~ ^([1-9][0-9]*|instructions)$ ]] ||
    { echo "usage: scripts/bench-evidence.sh [ROUNDS | instructions]" >&2; exit 2; }
cargo build --release --locked --quiet
CARGO_TARGET_DIR=target/bench-baseline cargo build --release --quiet \
    --manifest-path bench/baseline/Cargo.toml --bin xml-floor
dir=$PWD/target/bench-evidence
[[ -f $dir/none.yaml ]] || python3 scripts/bench-evidence-gen.py "$dir"
relcheck=$PWD/target/release/relcheck
floor=$PWD/target/bench-baseline/release/xml-floor
log=$dir/times.tsv
: >"$log"

# name, then the command; one line per run: name wall_s cpu_s rss_kb. Timed by Python
# (perf_counter for the wall, wait4's rusage for the CPU): to the microsecond, where GNU
# time's 10 ms steps hid the JUnit runs' differences. The peak RSS is GNU time's %M, which
# runs the command (a child forked from Python would count Python's pages as its own).
run() {
    local name=$1
    shift
    python3 - "$name" "$dir/stderr.out" "$@" >>"$log" <<'PY' || exit 1
import os, subprocess, sys, time
name, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(err, "w") as e:
    start = time.perf_counter()
    rss = err + ".rss"
    child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss, *cmd],
                             stdout=subprocess.DEVNULL, stderr=e)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
child.returncode = os.waitstatus_to_exitcode(status)
# relcheck exits 1 when the release is not ready: that is a result, not a failure.
if child.returncode not in (0, 1):
    sys.stderr.write(open(err).read())
    sys.exit(1)
# The last line: GNU time writes "Command exited with non-zero status 1" before it.
peak = open(rss).read().split()[-1]
print(f"{name}\t{wall:.6f}\t{usage.ru_utime + usage.ru_stime:.6f}\t{peak}")
PY
}

if [[ $rounds == instructions ]]; then
    # name, then the command: its instructions (callgrind's "Collected").
    count() {
        local name=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$dir/callgrind.out" || {
            local rc=$?
            [[ $rc -eq 1 ]] || { cat "$dir/callgrind.out" >&2; exit 1; }
        }
        printf '%s\t%s\n' "$name" "$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$dir/callgrind.out")"
    }
    cd "$dir"
    {
        count floor-cobertura "$floor" coverage.xml
        count relcheck-cobertura "$relcheck" check cobertura.yaml --today 2026-12-01 --format json
        count floor-junit "$floor" junit.xml
        count relcheck-junit "$relcheck" check junit.yaml --today 2026-12-01 --format json
        count relcheck-none "$relcheck" check none.yaml --today 2026-12-01 --format json
    } | awk -F'\t' '{ n[$1] = $2 }
        END {
            print "| report | floor | relcheck | relcheck / floor |"
            print "|---|---:|---:|---:|"
            printf "| Cobertura | %.0f M | %.0f M | %.2f |\n", n["floor-cobertura"] / 1e6, n["relcheck-cobertura"] / 1e6, n["relcheck-cobertura"] / n["floor-cobertura"]
            printf "| JUnit | %.0f M | %.0f M | %.2f |\n", n["floor-junit"] / 1e6, n["relcheck-junit"] / 1e6, n["relcheck-junit"] / n["floor-junit"]
            printf "| (none) | | %.0f M | |\n", n["relcheck-none"] / 1e6
        }'
    exit 0
fi

for ((i = 1; i <= rounds; i++)); do
    (
        cd "$dir"
        run "floor-cobertura" "$floor" coverage.xml
        run "attrs-cobertura" "$floor" --attributes coverage.xml
        run "relcheck-cobertura" "$relcheck" check cobertura.yaml --today 2026-12-01 --format json
        run "floor-junit" "$floor" junit.xml
        run "attrs-junit" "$floor" --attributes junit.xml
        run "relcheck-junit" "$relcheck" check junit.yaml --today 2026-12-01 --format json
        run "relcheck-none" "$relcheck" check none.yaml --today 2026-12-01 --format json
    )
done

python3 - "$log" "$dir" <<'PY'
import os, statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
by = {}
for name, wall, cpu, rss in rows:
    by.setdefault(name, []).append((float(wall), float(cpu), int(rss)))
med = {n: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v),
           max(r for _, _, r in v)) for n, v in by.items()}
# The fastest run of each: on a machine shared with other work the medians move with it
# (the floor itself by a fifth), the fastest runs much less.
low = {n: min(w for w, _, _ in v) for n, v in by.items()}
d = sys.argv[2]
size = {"cobertura": os.path.getsize(f"{d}/coverage.xml"), "junit": os.path.getsize(f"{d}/junit.xml")}
rounds = len(by["floor-junit"])
print(f"| report | size | command | wall (median of {rounds}) | CPU | peak RSS | wall / floor | CPU / floor | fastest wall / floor's |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
for r in ["cobertura", "junit"]:
    fw, fc, fr = med[f"floor-{r}"]
    rw, rc, rr = med[f"relcheck-{r}"]
    mb = size[r] / 1e6
    print(f"| {r} | {mb:.0f} MB | quick-xml alone (floor) | {fw:.4f} s | {fc:.4f} s | {fr/1024:.0f} MiB | 1.00 | 1.00 | 1.00 |")
    aw, ac, ar = med[f"attrs-{r}"]
    print(f"| {r} | {mb:.0f} MB | quick-xml, every attribute normalised | {aw:.4f} s | {ac:.4f} s | {ar/1024:.0f} MiB | {aw/fw:.2f} | {ac/fc:.2f} | {low[f'attrs-{r}']/low[f'floor-{r}']:.2f} |")
    print(f"| {r} | {mb:.0f} MB | relcheck check | {rw:.4f} s | {rc:.4f} s | {rr/1024:.0f} MiB | {rw/fw:.2f} | {rc/fc:.2f} | {low[f'relcheck-{r}']/low[f'floor-{r}']:.2f} |")
    # The report's part: the same check without the report (loading the manifest, the
    # rules, the JSON report, starting the process) taken away.
    nw, nc, _ = med["relcheck-none"]
    print(f"| {r} | {mb:.0f} MB | relcheck check, less the check without the report | {rw-nw:.4f} s | {rc-nc:.4f} s | | {(rw-nw)/fw:.2f} | {(rc-nc)/fc:.2f} | {(low[f'relcheck-{r}']-low['relcheck-none'])/low[f'floor-{r}']:.2f} |")
nw, nc, nr = med["relcheck-none"]
print(f"| none | | relcheck check, no report | {nw:.4f} s | {nc:.4f} s | {nr/1024:.0f} MiB | | | |")
PY
