#!/usr/bin/env bash
# Proves the pre-commit hook in .pre-commit-hooks.yaml works through the real pre-commit
# framework: in a scratch git repository whose .pre-commit-config.yaml uses this checkout as
# the hook repository (checking as of 2026-11-26, `--gate on-track --new-since HEAD`), a
# commit is judged only by the findings it adds. A ready manifest commits, and so does one
# that is not ready but on track (its findings not due yet), or that adds work not due yet
# before the freeze; a commit that keeps existing findings, even late ones, passes; a commit
# that adds a late finding is blocked, whether it edits the manifest or only a doc the
# manifest names, and after the freeze so is one that adds any finding; a new release that
# is already late, and an invalid manifest, are blocked; a commit of neither a manifest nor a
# document does not run the hook.
# Needs python3 (with venv and pip) and cargo; installs pre-commit from PyPI into a
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
        verbose: true # the report of a passing commit too, to check what it judged
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

# hook_passed / hook_failed / hook_skipped: what pre-commit said about the hook.
hook_passed() { grep -q "^relcheck\.*Passed" "$TMP/out"; }
hook_failed() { grep -q "^relcheck\.*Failed" "$TMP/out"; }
hook_skipped() { grep -q "^relcheck\.*(no files to check)Skipped" "$TMP/out"; }

# A ready manifest passes (the hook builds relcheck the first time it runs).
cp -R "$ROOT/examples/storefront" storefront
git add storefront
commit "ready" || fail "a ready manifest was blocked"
hook_passed || fail "the hook did not run on the ready manifest"

# A release that is not ready but on track: its findings fall due at the freeze
# (2026-12-10) and on the release date, both ahead. Committing it passes.
mkdir -p search/docs
cat >search/release.yaml <<'YAML'
relcheck: 1
release:
  name: Search 1.0
  date: 2026-12-24
  freeze: 2026-12-10
features:
  - id: search
    title: Search
    status: in-progress
    tests: [search-it]
    docs: [search-guide]
tests:
  - {id: search-it, kind: integration, status: not-run}
docs:
  - {id: search-guide, kind: user, path: docs/search.md, status: draft}
YAML
printf '# Search\n\nType a word in the search box and press Enter.\n' >search/docs/search.md
git add search
commit "on track" || fail "a release whose findings are not due yet was blocked"
hook_passed || fail "the hook did not run on the on-track release"

# Before the freeze, more work that is not due yet passes: a second unfinished feature.
cp search/release.yaml "$TMP/search.yaml"
sed -i.bak 's/^tests:$/  - id: filters\n    title: Filters\n    status: in-progress\n    tests: [search-it]\n    docs: [search-guide]\ntests:/' \
    search/release.yaml
rm search/release.yaml.bak
grep -q "id: filters" search/release.yaml || fail "sed did not add the feature"
git add search/release.yaml
commit "filters, not due yet" || fail "a feature added before the freeze, not due yet, was blocked"
hook_passed || fail "the hook did not run on the added feature"
git reset -q --hard HEAD~1

# A commit of the doc alone runs the hook too: more text passes ...
printf '# Search\n\nType a word in the search box and press Enter.\nFilters narrow it.\n' \
    >search/docs/search.md
git add search/docs/search.md
commit "doc edited" || fail "a doc edit that adds no finding was blocked"
hook_passed || fail "the hook did not run on a commit of a doc"

# ... and turning the doc into a placeholder adds RC006, due at once: late, blocked.
printf 'TODO\n' >search/docs/search.md
git add search/docs/search.md
if commit "doc emptied"; then fail "a doc turned placeholder was committed"; fi
hook_failed || fail "the hook did not fail on the placeholder doc"
grep -q "RC006 \[error\] doc 'search-guide'.* · late" "$TMP/out" ||
    fail "the placeholder finding is not in the hook's report"
grep -q "gate on-track fails" "$TMP/out" || fail "no failing gate in the hook's report"
git reset -q --hard

# Moving the freeze before today makes the unfinished feature's findings late; the last
# commit had them already, so the commit passes, and the report still shows them late.
sed -i.bak 's/freeze: 2026-12-10/freeze: 2026-11-20/' search/release.yaml
rm search/release.yaml.bak
git add search/release.yaml
commit "freeze moved" || fail "a commit that adds no finding (its late ones existing) was blocked"
hook_passed || fail "the hook did not run on the moved freeze"
grep -q "RC105 \[error\] feature 'search' is in-progress.* · late" "$TMP/out" ||
    fail "the existing late finding is not in the hook's report"
grep -q "not on track (2 late) · gate on-track passes" "$TMP/out" || fail "no on-track verdict"

# After the freeze: a commit that keeps the existing late findings passes ...
printf '# Search\n\nType a word in the search box and press Enter.\nFilters narrow it further.\n' \
    >search/docs/search.md
git add search/docs/search.md
commit "doc edited after the freeze" || fail "a doc edit that keeps existing late findings was blocked"
hook_passed || fail "the hook did not run on the doc edit after the freeze"

# ... a doc-only edit that turns the doc into a placeholder is blocked ...
printf 'TODO\n' >search/docs/search.md
git add search/docs/search.md
if commit "doc emptied after the freeze"; then fail "a doc turned placeholder after the freeze was committed"; fi
hook_failed || fail "the hook did not fail on the placeholder doc after the freeze"
grep -q "RC006 \[error\] doc 'search-guide'.* · late" "$TMP/out" ||
    fail "the placeholder finding is not in the hook's report after the freeze"
git reset -q --hard

# ... a feature added now is late (RC105, due at the freeze): blocked ...
sed -i.bak 's/^tests:$/  - id: filters\n    title: Filters\n    status: in-progress\n    tests: [search-it]\n    docs: [search-guide]\ntests:/' \
    search/release.yaml
rm search/release.yaml.bak
git add search/release.yaml
if commit "filters after the freeze"; then fail "a commit that adds a late finding was committed"; fi
hook_failed || fail "the hook did not fail on the late feature"
grep -q "RC105 \[error\] feature 'filters' is in-progress.* · late" "$TMP/out" ||
    fail "the new late finding is not in the hook's report"
git reset -q --hard

# ... and so is any new finding, even one not due until the release date: unlinking the
# feature's doc (RC201 undocumented-feature).
sed -i.bak 's/^    docs: \[search-guide\]$/    docs: []/' search/release.yaml
rm search/release.yaml.bak
grep -q "docs: \[\]" search/release.yaml || fail "sed did not unlink the doc"
git add search/release.yaml
if commit "doc unlinked after the freeze"; then fail "a commit that adds a finding after the freeze was committed"; fi
hook_failed || fail "the hook did not fail on the finding added after the freeze"
grep -q "RC201 \[error\] .*'search'.* · due 2026-12-24" "$TMP/out" ||
    fail "the new finding, due at the release, is not in the hook's report"
git reset -q --hard

# A new release that is already late (examples/not-ready: overtime, contradicted evidence)
# is blocked: absent from the last commit, all its findings are new.
cp -R "$ROOT/examples/not-ready" not-ready
git add not-ready
if commit "not ready"; then fail "a release with late findings was committed"; fi
hook_failed || fail "the hook did not fail"
grep -q "NOT READY · not on track" "$TMP/out" || fail "the hook's report is missing"
git reset -q
rm -rf not-ready

# An invalid manifest (a misspelt key) is blocked with the loader's error.
mkdir broken
sed 's/^features:$/feautres:/' "$ROOT/examples/storefront/release.yaml" >broken/release.yaml
git add broken
if commit "broken"; then fail "an invalid manifest was committed"; fi
grep -q "unknown key 'feautres'" "$TMP/out" || fail "the load error is missing"
git reset -q
rm -rf broken

# Files that are neither manifests nor documents do not run the hook.
mkdir src
echo "print('hello')" >src/app.py
git add src
commit "not a manifest" || fail "a commit without manifests or documents was blocked"
hook_skipped || fail "the hook ran on src/app.py"
