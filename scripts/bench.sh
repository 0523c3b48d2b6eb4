#!/usr/bin/env bash
# Benchmark relcheck on generated manifests against two baselines (a plain serde_yaml parse
# into typed structs, and relcheck's own loader alone), then the YAML layer's alternatives
# (granit-parser's events alone, serde-saphyr and serde_yaml into plain structs, relcheck's
# loader; sizes up to 80,000). Prints Markdown tables (docs/performance.md). Manifests over
# 64 MiB are refused (src/manifest/load.rs): 80,000 features (64 MB) is the largest checkable.
#
# Usage: scripts/bench.sh [FEATURES | PRODUCTSxFEATURES ...]
#        (default: 1000 10000 80000 50x1000 50x2000)
# A plain number is a release manifest of that many features; PxN is a program of P products
# of N features each, compared with one product checked alone.
# Needs: python3, /usr/bin/time (GNU time). Generated files go to target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 80000 50x1000 50x2000)
cargo build --release --locked --quiet
CARGO_TARGET_DIR=target/bench-baseline cargo build --release --quiet --manifest-path bench/baseline/Cargo.toml
exec python3 scripts/bench.py "${sizes[@]}"
