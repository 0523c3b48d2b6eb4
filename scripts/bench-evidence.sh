#!/usr/bin/env bash
# Benchmark relcheck's streaming evidence readers against the floor: quick-xml alone
# tokenising the same file (bench/baseline's `xml-floor`). Writes a 200 MB Cobertura report
# and a 50 MB JUnit report of 200,000 test cases (scripts/bench-evidence-gen.py), then times
# `relcheck check` of a manifest linking each (and of the same manifest without reports),
# ROUNDS rounds, the commands in turn within each round. Prints a Markdown table of median
# wall time, median CPU time (user + system) and peak resident memory (GNU time's %M), with
# the ratios to the floor (docs/performance.md, "Evidence readers"). A second baseline,
# `xml-floor --attributes`, also walks and normalises every attribute.
#
# Usage: scripts/bench-evidence.sh [ROUNDS]      (default 5)
# Needs: python3, /usr/bin/time (GNU time). Files go to target/bench-evidence/ (kept: delete
# the folder to regenerate).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/bench-evidence.sh [ROUNDS]" >&2; exit 2; }
cargo build --release --locked --quiet
CARGO_TARGET_DIR=target/bench-baseline cargo build --release --quiet \
    --manifest-path bench/baseline/Cargo.toml --bin xml-floor
dir=$PWD/target/bench-evidence
[[ -f $dir/none.yaml ]] || python3 scripts/bench-evidence-gen.py "$dir"
relcheck=$PWD/target/release/relcheck
floor=$PWD/target/bench-baseline/release/xml-floor
log=$dir/times.tsv
: >"$log"

# name, then the command; one line per run: name wall_s cpu_s rss_kb
run() {
    local name=$1
    shift
    /usr/bin/time -f "$name %e %U %S %M" -o "$dir/time.out" "$@" >/dev/null 2>"$dir/stderr.out" || {
        local rc=$?
        # relcheck exits 1 when the release is not ready: that is a result, not a failure.
        if [[ $rc -ne 1 ]]; then
            cat "$dir/stderr.out" >&2
            exit 1
        fi
    }
    # The last line: GNU time writes "Command exited with non-zero status 1" before it.
    tail -n 1 "$dir/time.out" | awk '{printf "%s\t%s\t%.2f\t%s\n", $1, $2, $3 + $4, $5}' >>"$log"
}

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
d = sys.argv[2]
size = {"cobertura": os.path.getsize(f"{d}/coverage.xml"), "junit": os.path.getsize(f"{d}/junit.xml")}
rounds = len(by["floor-junit"])
print(f"| report | size | command | wall (median of {rounds}) | CPU | peak RSS | wall / floor | CPU / floor |")
print("|---|---:|---|---:|---:|---:|---:|---:|")
for r in ["cobertura", "junit"]:
    fw, fc, fr = med[f"floor-{r}"]
    rw, rc, rr = med[f"relcheck-{r}"]
    mb = size[r] / 1e6
    print(f"| {r} | {mb:.0f} MB | quick-xml alone (floor) | {fw:.2f} s | {fc:.2f} s | {fr/1024:.0f} MiB | 1.00 | 1.00 |")
    aw, ac, ar = med[f"attrs-{r}"]
    print(f"| {r} | {mb:.0f} MB | quick-xml, every attribute normalised | {aw:.2f} s | {ac:.2f} s | {ar/1024:.0f} MiB | {aw/fw:.2f} | {ac/fc:.2f} |")
    print(f"| {r} | {mb:.0f} MB | relcheck check | {rw:.2f} s | {rc:.2f} s | {rr/1024:.0f} MiB | {rw/fw:.2f} | {rc/fc:.2f} |")
nw, nc, nr = med["relcheck-none"]
print(f"| none | | relcheck check, no report | {nw:.2f} s | {nc:.2f} s | {nr/1024:.0f} MiB | | |")
PY
