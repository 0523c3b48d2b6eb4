#!/usr/bin/env bash
# Proves the pre-commit hook in .pre-commit-hooks.yaml works through the real pre-commit
# framework: in a scratch git repository whose .pre-commit-config.yaml uses this checkout as
# the hook repository, a ready manifest commits, a not-ready one and an invalid one are
# blocked. Needs python3 (with venv and pip) and cargo; installs pre-commit from PyPI into a
# temporary venv. Quiet on success; on failure prints what happened. Run from .ci/run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/log
: >"$LOG"

fail() {
    echo "pre-commit-check: $*" >&2
    echo "---- log ----" >&2
    cat "$LOG" >&2
    exit 1
}

# pre-commit, in a venv of its own.
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

# The scratch repositories ignore the user's git configuration (hooks paths, signing).
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=relcheck GIT_AUTHOR_EMAIL=relcheck@example.invalid
export GIT_COMMITTER_NAME=relcheck GIT_COMMITTER_EMAIL=relcheck@example.invalid
if ! { git -C "$HOOKS" init -q && git -C "$HOOKS" add -A && git -C "$HOOKS" commit -q -m hooks; } \
    >>"$LOG" 2>&1; then
    fail "cannot commit the hook repository"
fi
REV=$(git -C "$HOOKS" rev-parse HEAD)

# pre-commit builds relcheck with `cargo install` (a release build). This test is about the
# hook, not speed: build unoptimised, and keep the build between runs.
export PRE_COMMIT_HOME=$TMP/cache
export CARGO_TARGET_DIR=${RELCHECK_HOOK_TARGET:-$ROOT/target/pre-commit-hook}
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false

PROJECT=$TMP/project
mkdir "$PROJECT"
cd "$PROJECT"
git init -q
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: relcheck
        args: [--today, "2026-11-26"]
YAML
git add .pre-commit-config.yaml
git commit -q -m "pre-commit config" >>"$LOG" 2>&1 || fail "cannot commit the config"
"$PRE_COMMIT" install >>"$LOG" 2>&1 || fail "pre-commit install failed"

# commit MESSAGE: commits what is staged, output to $TMP/out (and the log); returns git's code.
commit() {
    local code=0
    git commit -q -m "$1" >"$TMP/out" 2>&1 || code=$?
    { echo "== git commit -m '$1' (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    return "$code"
}

# A ready manifest passes (the hook builds relcheck the first time it runs).
cp -R "$ROOT/examples/storefront" storefront
git add storefront
commit "ready" || fail "a ready manifest was blocked"
grep -q "^relcheck\.*Passed" "$TMP/out" || fail "the hook did not run on the ready manifest"

# A not-ready manifest is blocked, and the hook says why.
cp -R "$ROOT/examples/not-ready" not-ready
git add not-ready
if commit "not ready"; then fail "a not-ready manifest was committed"; fi
grep -q "^relcheck\.*Failed" "$TMP/out" || fail "the hook did not fail"
grep -q "NOT READY" "$TMP/out" || fail "the hook's report is missing"
git reset -q

# An invalid manifest (a misspelt key) is blocked with the loader's error.
mkdir broken
sed 's/^features:$/feautres:/' "$ROOT/examples/storefront/release.yaml" >broken/release.yaml
git add broken
if commit "broken"; then fail "an invalid manifest was committed"; fi
grep -q "unknown key 'feautres'" "$TMP/out" || fail "the load error is missing"
git reset -q

# Files that are not manifests do not run the hook.
echo "notes" >notes.txt
git add notes.txt
commit "not a manifest" || fail "a commit without manifests was blocked"
grep -q "^relcheck\.*(no files to check)Skipped" "$TMP/out" || fail "the hook ran on notes.txt"
