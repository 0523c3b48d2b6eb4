#!/usr/bin/env bash
# Fuzzes relcheck with cargo-fuzz (libFuzzer, AddressSanitizer): each target for SECONDS,
# one after the other, one process each. Targets: manifest, junit, cobertura, lcov, jacoco
# (default: all).
#
#   scripts/fuzz.sh SECONDS [TARGET]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz needs nightly features; on a
# stable toolchain RUSTC_BOOTSTRAP=1 unlocks them (set here). Not part of .ci/run. The seed
# corpus is copied from the fixtures into fuzz/corpus/TARGET (gitignored, kept between runs
# so a run goes on from the last); crashes land in fuzz/artifacts/TARGET; full logs in
# fuzz/logs/TARGET.log. fuzz/README.md says how to reproduce and minimise a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: scripts/fuzz.sh SECONDS [manifest|junit|cobertura|lcov|jacoco]" >&2
    exit 2
}
[[ $# -ge 1 && $# -le 2 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
case "${2:-all}" in
    all) targets=(manifest junit cobertura lcov jacoco) ;;
    manifest | junit | cobertura | lcov | jacoco) targets=("$2") ;;
    *) usage ;;
esac
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 2
fi

export RUSTC_BOOTSTRAP=1
# The manifest target's fixed evidence folder (see fuzz/fuzz_targets/manifest.rs); rebuilt
# from the fixtures on each run.
export RELCHECK_FUZZ_DIR="${RELCHECK_FUZZ_DIR:-${TMPDIR:-/tmp}/relcheck-fuzz}"
rm -rf "$RELCHECK_FUZZ_DIR"

# The seeds: every YAML manifest of the examples and fixtures, every JUnit report, every
# coverage report of its format.
seed() {
    local target=$1 corpus=fuzz/corpus/$1
    mkdir -p "$corpus"
    case "$target" in
        manifest) find examples tests/fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) ;;
        junit) find tests/fixtures/evidence/junit examples -type f -name '*.xml' ;;
        cobertura) grep -rlE --include='*.xml' '<coverage[ >]' tests/fixtures examples || true ;;
        lcov) find tests/fixtures examples -type f \( -name '*.lcov' -o -name '*.info' \) ;;
        jacoco) grep -rlE --include='*.xml' '<report[ >]' tests/fixtures examples || true ;;
    esac | while read -r f; do
        # Named by content, as libFuzzer names its own units: no duplicates.
        cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"
    done
}

mkdir -p fuzz/logs
for target in "${targets[@]}"; do
    seed "$target"
    echo "== $target: $(ls "fuzz/corpus/$target" | wc -l) inputs in the corpus, ${seconds}s"
    # cargo-fuzz's defaults: optimised, with debug assertions and overflow checks, and
    # AddressSanitizer (-Zsanitizer=address, accepted under RUSTC_BOOTSTRAP=1).
    cargo fuzz build "$target"
    # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: libFuzzer's default.
    status=0
    cargo fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -dict="fuzz/dict/$target.dict" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 >"fuzz/logs/$target.log" 2>&1 || status=$?
    # The last progress line (executions, cov, ft, corpus) and the final statistics.
    grep -E '^#[0-9]+' "fuzz/logs/$target.log" | tail -n 1 || true
    grep -E '^stat::' "fuzz/logs/$target.log" || true
    if [[ $status -ne 0 ]]; then
        echo "== $target FAILED (exit $status); see fuzz/logs/$target.log and fuzz/artifacts/$target" >&2
        grep -E 'panicked|ERROR: |SUMMARY|Test unit written' "fuzz/logs/$target.log" >&2 || true
        exit 1
    fi
done
