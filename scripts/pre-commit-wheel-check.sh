#!/usr/bin/env bash
# Proves the relcheck-wheel hook in .pre-commit-hooks.yaml works through the real pre-commit
# framework, as scripts/pre-commit-check.sh does for the cargo-built relcheck hook: in a
# scratch git repository whose .pre-commit-config.yaml uses this checkout as the hook
# repository, pre-commit pip-installs the checkout (the wheel, built by maturin through
# pyproject.toml); a ready manifest commits, and examples/not-ready (late findings) is
# blocked with the hook's report.
# Needs python3 (with venv and pip) and cargo; installs pre-commit from PyPI into a temporary
# venv, and pip installs maturin into pre-commit's build environment. The release build goes
# to the checkout's target directory, shared with scripts/wheel-check.sh (run it first: then
# this only relinks). Quiet on success; on failure prints what happened. Run from .ci/run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/log
: >"$LOG"

fail() {
    echo "pre-commit-wheel-check: $*" >&2
    echo "---- log ----" >&2
    cat "$LOG" >&2
    exit 1
}

python3 -m venv "$TMP/venv" >>"$LOG" 2>&1 || fail "cannot create a Python venv (python3-venv)"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit \
    >>"$LOG" 2>&1 || fail "cannot install pre-commit with pip"
PRE_COMMIT=$TMP/venv/bin/pre-commit
"$PRE_COMMIT" validate-manifest "$ROOT/.pre-commit-hooks.yaml" >>"$LOG" 2>&1 ||
    fail ".pre-commit-hooks.yaml is not a valid hooks manifest"

# The hook repository: this checkout's files as they are now, committed or not, as one commit.
HOOKS=$TMP/hooks
mkdir "$HOOKS"
(
    cd "$ROOT"
    git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf -
) | tar -C "$HOOKS" -xf - || fail "cannot copy the checkout"

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=relcheck GIT_AUTHOR_EMAIL=relcheck@example.invalid
export GIT_COMMITTER_NAME=relcheck GIT_COMMITTER_EMAIL=relcheck@example.invalid
if ! { git -C "$HOOKS" init -q && git -C "$HOOKS" add -A && git -C "$HOOKS" commit -q -m hooks; } \
    >>"$LOG" 2>&1; then
    fail "cannot commit the hook repository"
fi
REV=$(git -C "$HOOKS" rev-parse HEAD)

export PRE_COMMIT_HOME=$TMP/cache
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

PROJECT=$TMP/project
mkdir "$PROJECT"
cd "$PROJECT"
git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: relcheck-wheel
        args: [--today, "2026-11-26"]
YAML
git add .pre-commit-config.yaml
git commit -q -m "pre-commit config" >>"$LOG" 2>&1 || fail "cannot commit the config"
"$PRE_COMMIT" install >>"$LOG" 2>&1 || fail "pre-commit install failed"

commit() {
    local code=0
    git commit -q -m "$1" >"$TMP/out" 2>&1 || code=$?
    { echo "== git commit -m '$1' (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    return "$code"
}

# A ready manifest passes (pre-commit pip-installs the hook repository the first time).
cp -R "$ROOT/examples/storefront" storefront
git add storefront
commit "ready" || fail "a ready manifest was blocked"
grep -q "^relcheck\.*Passed" "$TMP/out" || fail "the hook did not run on the ready manifest"
[ -x "$(echo "$PRE_COMMIT_HOME"/repo*/py_env-*/bin/relcheck)" ] ||
    fail "the hook's relcheck is not the one pip installed in its Python environment"

# A release that is already late is blocked, with the hook's report.
cp -R "$ROOT/examples/not-ready" not-ready
git add not-ready
if commit "not ready"; then fail "a release with late findings was committed"; fi
grep -q "^relcheck\.*Failed" "$TMP/out" || fail "the hook did not fail"
grep -q "NOT READY · not on track" "$TMP/out" || fail "the hook's report is missing"
