#!/usr/bin/env bash
# Proves `pip install relcheck-gate` works: builds the wheel from this checkout with maturin
# (pyproject.toml, bindings = "bin"), installs it into a fresh virtual environment with no
# index, and runs the relcheck it put on PATH: --version says Cargo.toml's version,
# examples/storefront (ready) exits 0, examples/not-ready exits 1. Also checks the wheel holds
# the executable and no Python code.
# Needs python3 (with venv and pip) and cargo; installs maturin from PyPI into a temporary
# venv. The release build goes to the checkout's target directory ($CARGO_TARGET_DIR, else
# target/), so a second run only relinks. Quiet on success; on failure says which step
# failed and prints its log. Run from .ci/run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MATURIN_VERSION=1.16.0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/log
: >"$LOG"

fail() {
    echo "wheel-check: $*" >&2
    echo "---- log ----" >&2
    cat "$LOG" >&2
    exit 1
}

# step DESCRIPTION COMMAND...: runs COMMAND with its output in the log; fails with DESCRIPTION.
step() {
    local what=$1
    shift
    echo "== $what: $*" >>"$LOG"
    "$@" >>"$LOG" 2>&1 || fail "$what failed (exit $?)"
}

cd "$ROOT"
step "creating the build venv" python3 -m venv "$TMP/build"
step "installing maturin $MATURIN_VERSION" \
    "$TMP/build/bin/python" -m pip install --quiet --disable-pip-version-check \
    "maturin==$MATURIN_VERSION"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
step "building the wheel" "$TMP/build/bin/maturin" build --release --locked --quiet \
    --out "$TMP/wheels"

shopt -s nullglob
wheels=("$TMP/wheels"/relcheck_gate-*.whl)
[ "${#wheels[@]}" -eq 1 ] || fail "expected one wheel, found: $(ls "$TMP/wheels")"
wheel=${wheels[0]}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
case "$(basename "$wheel")" in
    "relcheck_gate-$version-py3-none-"*.whl) ;;
    *) fail "unexpected wheel name $(basename "$wheel") (want relcheck_gate-$version-py3-none-PLATFORM)" ;;
esac
contents=$("$TMP/build/bin/python" -m zipfile -l "$wheel") || fail "cannot list $wheel"
grep -q "relcheck_gate-$version.data/scripts/relcheck " <<<"$contents" ||
    fail "the wheel does not hold the relcheck executable: $contents"
if grep -q '\.py ' <<<"$contents"; then fail "the wheel holds Python code: $contents"; fi

# A fresh venv, no index: the wheel alone must be enough.
step "creating the install venv" python3 -m venv "$TMP/venv"
step "installing the wheel" "$TMP/venv/bin/python" -m pip install --quiet \
    --disable-pip-version-check --no-index "$wheel"
relcheck=$TMP/venv/bin/relcheck
[ -x "$relcheck" ] || fail "pip did not install $relcheck"

out=$("$relcheck" --version 2>&1) || fail "relcheck --version failed: $out"
[ "$out" = "relcheck $version" ] || fail "relcheck --version said '$out', want 'relcheck $version'"

step "checking examples/storefront (ready)" "$relcheck" check examples/storefront/release.yaml
code=0
"$relcheck" check examples/not-ready/release.yaml >>"$LOG" 2>&1 || code=$?
[ "$code" -eq 1 ] || fail "examples/not-ready exited $code, want 1 (not ready)"
