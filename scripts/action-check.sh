#!/usr/bin/env bash
# Tests the GitHub Action without GitHub: action.yml and the CI examples are consistent
# (inputs, outputs, what the script reads, the gate of each workflow and GitLab job), and
# scripts/github-action.sh builds the right relcheck command line (the gate: on-track on
# pull requests, release otherwise, or the input; --new-since from its input, which defaults
# to the pull request's base), fills the job summary and the step outputs (on-track from the
# report), and passes the verdict on; with the real relcheck, a fresh `relcheck init`
# starter passes a pull request and fails a release job, and in a scratch repository a pull
# request is judged by the findings it adds against its base branch (a shallow clone: exit 2
# naming the fix). The install step (scripts/action-install.sh), offline against releases
# served from a folder with file://: each runner's binary downloaded and its checksum
# verified; a wrong checksum, a listed archive that is missing, a failed download and a
# binary that does not run are errors, never a build; no binary for the runner, no release,
# a branch or commit, `version: source` build with cargo (a stub here); its targets and
# asset names are the release workflow's. Needs python3 with venv and pip (PyYAML is
# installed into a temporary venv), curl, tar, unzip and the debug build of relcheck (cargo
# build). Quiet on success. Run from .ci/run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/log
: >"$LOG"

fail() {
    echo "action-check: $*" >&2
    echo "---- log ----" >&2
    cat "$LOG" >&2
    exit 1
}

# ---- 1. action.yml and the CI examples agree with each other and with the script ----
python3 -m venv "$TMP/venv" >>"$LOG" 2>&1 || fail "cannot create a Python venv (python3-venv)"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check pyyaml \
    >>"$LOG" 2>&1 || fail "cannot install PyYAML with pip"
"$TMP/venv/bin/python" - "$ROOT" >>"$LOG" 2>&1 <<'PY' || fail "action.yml or examples/ci are inconsistent"
import re
import sys

import yaml

root = sys.argv[1]
action_text = open(f"{root}/action.yml").read()
action = yaml.safe_load(action_text)
inputs = action["inputs"]
steps = action["runs"]["steps"]
assert action["runs"]["using"] == "composite"
for name, spec in inputs.items():
    assert spec.get("description"), f"input {name} has no description"
    assert "default" in spec, f"input {name} has no default"
for name, spec in action["outputs"].items():
    assert spec.get("description"), f"output {name} has no description"
used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", action_text))
assert used <= set(inputs), f"undeclared inputs: {used - set(inputs)}"
for step in steps:
    assert "${{" not in step.get("run", ""), \
        f"step '{step['name']}' splices an expression into its script: pass it through env"

# The check step hands every input the script reads over as INPUT_<NAME>.
script = open(f"{root}/scripts/github-action.sh").read()
read = set(re.findall(r"INPUT_([A-Z_]+)", script))
check = next(s for s in steps if s.get("id") == "check")
given = {k.removeprefix("INPUT_") for k in check["env"]}
assert read == given, f"script reads {sorted(read)}, step gives {sorted(given)}"
for key, value in check["env"].items():
    name = key.removeprefix("INPUT_").lower().replace("_", "-")
    assert value == "${{ inputs.%s }}" % name, f"{key}: {value}"
    assert name in inputs, name

# new-since defaults to the pull request's base (github.base_ref is set on pull_request and
# pull_request_target events only), and the script passes it as --new-since.
PR_BASE = "${{ github.base_ref && format('origin/{0}', github.base_ref) || '' }}"
assert inputs["new-since"]["default"] == PR_BASE, inputs["new-since"]
assert "on-track" in action["outputs"], action["outputs"]
assert action["outputs"]["on-track"]["value"] == "${{ steps.check.outputs.on-track }}"
assert 'args+=(--new-since "$INPUT_NEW_SINCE")' in script

# The install step hands the version input and the action's own repository and ref to
# scripts/action-install.sh, whose release targets and asset names are the release
# workflow's: relcheck-TAG-TARGET.tar.gz (.zip on Windows) and SHA256SUMS.
install = next(s for s in steps if s.get("id") == "install")
assert install["run"] == '"$GITHUB_ACTION_PATH/scripts/action-install.sh"', install["run"]
assert install["env"] == {
    "INPUT_VERSION": "${{ inputs.version }}",
    "ACTION_REPOSITORY": "${{ github.action_repository }}",
    "ACTION_REF": "${{ github.action_ref }}",
}, install["env"]
assert action["outputs"]["install-method"]["value"] == "${{ steps.install.outputs.method }}"
installer = open(f"{root}/scripts/action-install.sh").read()
assert set(re.findall(r"INPUT_([A-Z_]+)", installer)) == {"VERSION"}
release = yaml.safe_load(open(f"{root}/.github/workflows/release.yml"))
released = {m["target"] for m in release["jobs"]["binaries"]["strategy"]["matrix"]["include"]}
mapped = set(re.findall(r"^    [A-Za-z]+:[A-Z0-9]+\) echo ([a-z0-9_-]+) ;;$", installer, re.M))
assert mapped == released, f"action-install.sh maps {sorted(mapped)}, release.yml builds {sorted(released)}"
archive = next(s for s in release["jobs"]["binaries"]["steps"] if s.get("name") == "Archive")
assert archive["env"]["TAG"] == "${{ github.ref_name }}", archive["env"]
assert 'name="relcheck-$TAG-$TARGET"' in archive["run"], archive["run"]
assert 'cp "target/$TARGET/release/relcheck.exe" "dist/$name/"' in archive["run"]
assert 'cp "target/$TARGET/release/relcheck" "dist/$name/"' in archive["run"]
assert '"$name.zip" "$name"' in archive["run"] and '"dist/$name.tar.gz" "$name"' in archive["run"]
assert 'local name="relcheck-$tag-$target"' in installer
assert "archive=$name.zip exe=.exe" in installer and "archive=$name.tar.gz" in installer
checksums = next(s for s in release["jobs"]["release"]["steps"] if s.get("name") == "Checksums")
assert "sha256sum -- * > SHA256SUMS" in checksums["run"], checksums["run"]
assert release.get("on", release.get(True)) == {"push": {"tags": ["v*"]}}, "release.yml: not on tags v*"

# The example workflows use the action with inputs it has: the pull-request workflow under
# the pre-merge gate, with --new-since its base and the whole history it needs; the release
# workflow under the release gate, on a tag and on a schedule, judging the whole release.
def workflow(name):
    text = open(f"{root}/examples/ci/{name}").read()
    wf = yaml.safe_load(text)
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    uses = [s for s in steps if s.get("uses", "").startswith("relcheck/relcheck@")]
    assert len(uses) == 1, uses
    assert set(uses[0].get("with", {})) <= set(inputs), uses[0]["with"]
    checkout = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkout) == 1, checkout
    return wf.get("on", wf.get(True)), uses[0]["with"], checkout[0].get("with", {})

on, given, checkout = workflow("github-pull-request.yml")
assert "pull_request" in on, on
assert given["gate"] == "on-track", given
assert given["new-since"] == PR_BASE, given
assert checkout.get("fetch-depth") == 0, checkout
on, given, checkout = workflow("github-release.yml")
assert "pull_request" not in on, on
assert on["push"]["tags"] and on["schedule"], on
assert given["gate"] == "release", given
assert not given.get("new-since"), given

# GitLab: a merge-request job under the pre-merge gate, a release job (tag, schedule) under
# the release gate; each publishes the JUnit report that relcheck writes.
gl_text = open(f"{root}/examples/ci/gitlab-ci.yml").read()
gl = yaml.safe_load(gl_text)
template = gl[".relcheck"]
junit = template["artifacts"]["reports"]["junit"]
assert template["artifacts"]["when"] == "always"
jobs = {"relcheck-merge-request": ("on-track", "merge_request_event"),
        "relcheck-release": ("release", "$CI_COMMIT_TAG")}
for name, (gate, trigger) in jobs.items():
    job = gl[name]
    assert job["extends"] == ".relcheck", name
    lines = [l for l in job["script"] if l.startswith("relcheck check ")]
    assert len(lines) == 1, (name, job["script"])
    assert f"--gate {gate} " in lines[0], (name, lines[0])
    assert f"--report junit={junit}" in lines[0], (name, lines[0])
    assert junit in job.get("artifacts", template["artifacts"])["paths"], name
    assert any(trigger in rule["if"] for rule in job["rules"]), (name, job["rules"])
assert any("schedule" in rule["if"] for rule in gl["relcheck-release"]["rules"])
# The merge request job judges the change against its target branch, with the history and
# the branch fetched; the release job judges the whole release.
mr = gl["relcheck-merge-request"]
assert str(mr["variables"]["GIT_DEPTH"]) == "0", mr["variables"]
target = '"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"'
assert f"--new-since {target} " in mr["script"][-1], mr["script"]
assert 'git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in mr["script"], mr["script"]
assert all("--new-since" not in l for l in gl["relcheck-release"]["script"])
PY

# ---- 2. the check step, with a stub relcheck that records its arguments ----
mkdir "$TMP/bin" "$TMP/runner" "$TMP/work"
cat >"$TMP/bin/relcheck" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$STUB_ARGS"
if [ -z "${STUB_SILENT:-}" ]; then
    for a in "$@"; do
        case "$a" in
        markdown=*) echo "## stub report" >"${a#markdown=}" ;;
        sarif=*) echo '{"version": "2.1.0"}' >"${a#sarif=}" ;;
        json=*) printf '{\n  "version": 1,\n  "ready": %s,\n  "on_track": %s,\n}\n' \
            "${STUB_READY:-false}" "${STUB_ON_TRACK:-false}" >"${a#json=}" ;;
        esac
    done
fi
exit "${STUB_EXIT:-0}"
STUB
chmod +x "$TMP/bin/relcheck"

# step NAME [VAR=VALUE ...]: runs the check step in $TMP/work with fresh GitHub files.
step() {
    local name=$1
    shift
    : >"$TMP/output"
    : >"$TMP/summary"
    local code=0
    (
        cd "$TMP/work"
        env -u GITHUB_EVENT_NAME RELCHECK="$TMP/bin/relcheck" STUB_ARGS="$TMP/args" \
            RUNNER_TEMP="$TMP/runner" GITHUB_OUTPUT="$TMP/output" \
            GITHUB_STEP_SUMMARY="$TMP/summary" "$@" \
            "$ROOT/scripts/github-action.sh" check
    ) >"$TMP/out" 2>&1 || code=$?
    { echo "== $name (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    return "$code"
}

expect_file() { # FILE EXPECTED WHAT
    [ "$(cat "$1")" = "$2" ] || {
        printf 'expected:\n%s\ngot:\n%s\n' "$2" "$(cat "$1")" >>"$LOG"
        fail "$3"
    }
}

VERDICT=$TMP/runner/relcheck-verdict.json
step "every input" INPUT_STRICT=true INPUT_SARIF=true INPUT_FORMAT=human STUB_EXIT=1 \
    INPUT_GATE=on-track GITHUB_EVENT_NAME=push INPUT_NEW_SINCE=origin/main STUB_ON_TRACK=true \
    INPUT_REPORTS=$'junit=relcheck-junit.xml\n  html=report.html  \n' \
    INPUT_ARGS="--select RC1,RC2 --today 2026-11-26" \
    INPUT_PATHS=$'products/a/release.yaml\nproducts/b  program.yaml' ||
    fail "the check step failed instead of recording the verdict"
expect_file "$TMP/args" "check
--gate
on-track
--format
human
--strict
--new-since
origin/main
--report
json=$VERDICT
--report
markdown=$TMP/runner/relcheck-summary.md
--report
sarif=relcheck.sarif
--report
junit=relcheck-junit.xml
--report
html=report.html
--select
RC1,RC2
--today
2026-11-26
--
products/a/release.yaml
products/b
program.yaml" "wrong command line"
expect_file "$TMP/summary" "## stub report" "the Markdown report is not in the job summary"
expect_file "$TMP/output" "exit-code=1
gate=on-track
pass=false
ready=false
on-track=true
sarif-file=$TMP/work/relcheck.sarif" "wrong step outputs"

step "defaults" STUB_READY=true || fail "the check step failed"
expect_file "$TMP/args" "check
--gate
release
--format
github
--report
json=$VERDICT
--report
markdown=$TMP/runner/relcheck-summary.md" "wrong default command line"
expect_file "$TMP/output" "exit-code=0
gate=release
pass=true
ready=true
on-track=false" "wrong outputs when ready"

# The gate follows the event unless the input names one; `ready` follows the report, not
# the exit code.
for event in pull_request pull_request_target merge_group; do
    step "gate on $event" GITHUB_EVENT_NAME=$event INPUT_SUMMARY=false STUB_ON_TRACK=true ||
        fail "the check step failed"
    expect_file "$TMP/args" "check
--gate
on-track
--format
github
--report
json=$VERDICT" "not the on-track gate on $event"
    expect_file "$TMP/output" "exit-code=0
gate=on-track
pass=true
ready=false
on-track=true" "wrong outputs of a passing on-track gate on $event"
done
for event in push schedule release workflow_dispatch; do
    step "gate on $event" GITHUB_EVENT_NAME=$event INPUT_SUMMARY=false STUB_EXIT=1 ||
        fail "the check step failed"
    grep -qx release <(sed -n 3p "$TMP/args") || fail "not the release gate on $event"
    expect_file "$TMP/output" "exit-code=1
gate=release
pass=false
ready=false
on-track=false" "wrong outputs of a failing release gate on $event"
done
step "gate input on a pull request" GITHUB_EVENT_NAME=pull_request INPUT_GATE=release \
    INPUT_SUMMARY=false || fail "the check step failed"
grep -qx release <(sed -n 3p "$TMP/args") || fail "the gate input did not override the event"
if step "bad gate" INPUT_GATE=ready; then fail "gate=ready was accepted"; fi
grep -q "input 'gate' must be 'on-track' or 'release' (or empty: by the event), not 'ready'" \
    "$TMP/out" || fail "no error for gate=ready"

step "no summary, could not evaluate" INPUT_SUMMARY=false STUB_EXIT=2 || fail "the check step failed"
expect_file "$TMP/args" "check
--gate
release
--format
github
--report
json=$VERDICT" "summary=false still asks for Markdown"
expect_file "$TMP/output" "exit-code=2
gate=release
pass=false
ready=false
on-track=false" "wrong outputs on exit 2"

step "nothing written" STUB_EXIT=2 STUB_SILENT=1 || fail "the check step failed"
grep -q "could not evaluate the manifests (exit 2)" "$TMP/summary" ||
    fail "no summary when relcheck wrote none"
grep -q "^ready=false$" "$TMP/output" || fail "ready without a report"
grep -q "^on-track=false$" "$TMP/output" || fail "on track without a report"

# An empty new-since (the default outside pull requests, or set to '') adds nothing.
step "empty new-since" GITHUB_EVENT_NAME=pull_request INPUT_NEW_SINCE= INPUT_SUMMARY=false ||
    fail "the check step failed"
if grep -qx -- --new-since "$TMP/args"; then fail "an empty new-since became --new-since"; fi

if step "bad flag" INPUT_STRICT=yes; then fail "strict=yes was accepted"; fi
grep -q "input 'strict' must be 'true' or 'false', not 'yes'" "$TMP/out" ||
    fail "no error for strict=yes"

# ---- 3. the command line it builds is one the real relcheck accepts ----
BIN=${RELCHECK_BIN:-$ROOT/target/debug/relcheck}
[ -x "$BIN" ] || fail "no relcheck binary at $BIN (run cargo build first)"

# real EVENT PATHS...: the check step with the real relcheck, on 2026-11-26, in the checkout
# (or in REAL_DIR), with the new-since input REAL_NEW_SINCE.
real() {
    local event=$1
    shift
    : >"$TMP/output"
    local code=0
    (
        cd "${REAL_DIR:-$ROOT}"
        env RELCHECK="$BIN" GITHUB_OUTPUT="$TMP/output" RUNNER_TEMP="$TMP/runner" \
            GITHUB_EVENT_NAME="$event" INPUT_FORMAT=json INPUT_SUMMARY=false \
            INPUT_ARGS="--today 2026-11-26" INPUT_PATHS="$*" \
            INPUT_NEW_SINCE="${REAL_NEW_SINCE:-}" \
            "$ROOT/scripts/github-action.sh" check
    ) >"$TMP/out" 2>&1 || code=$?
    { echo "== real relcheck on $event in ${REAL_DIR:-$ROOT}: $* (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    [ "$code" = 0 ] || fail "the check step failed with the real relcheck"
}

real push examples/storefront/release.yaml examples/not-ready/release.yaml
grep -q '"ready": false' "$TMP/out" || fail "no JSON report from the real relcheck"
expect_file "$TMP/output" "exit-code=1
gate=release
pass=false
ready=false
on-track=false" "wrong outputs with the real relcheck"

real push examples/storefront/release.yaml
expect_file "$TMP/output" "exit-code=0
gate=release
pass=true
ready=true
on-track=true" "wrong outputs for a ready release"

# A fresh starter is on track but not ready: a pull request passes, a release job fails.
"$BIN" init --today 2026-11-26 --output "$TMP/starter/release.yaml" >>"$LOG" 2>&1 ||
    fail "relcheck init failed"
real pull_request "$TMP/starter/release.yaml"
expect_file "$TMP/output" "exit-code=0
gate=on-track
pass=true
ready=false
on-track=true" "a pull request did not pass a release that is on track"
real schedule "$TMP/starter/release.yaml"
expect_file "$TMP/output" "exit-code=1
gate=release
pass=false
ready=false
on-track=true" "a scheduled release gate passed a release that is not ready"

# ---- 4. a pull request judged against its base branch (--new-since), real relcheck ----
# A scratch repository: on main, a release past its freeze with an unfinished feature (late
# already); the pull request's branch edits its doc; main moves on after the branch left.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=relcheck GIT_AUTHOR_EMAIL=relcheck@example.invalid
export GIT_COMMITTER_NAME=relcheck GIT_COMMITTER_EMAIL=relcheck@example.invalid
export GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z
ORIGIN=$TMP/origin
{
    git init -q -b main "$ORIGIN"
    mkdir -p "$ORIGIN/docs"
    cat >"$ORIGIN/release.yaml" <<'YAML'
relcheck: 1
release:
  name: Search 1.0
  date: 2026-12-24
  freeze: 2026-11-20
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
    printf '# Search\n\nType a word in the search box and press Enter.\n' >"$ORIGIN/docs/search.md"
    git -C "$ORIGIN" add -A
    git -C "$ORIGIN" commit -q -m "search"
    git -C "$ORIGIN" checkout -q -b change
    printf '# Search\n\nType a word in the search box and press Enter.\nFilters narrow it.\n' \
        >"$ORIGIN/docs/search.md"
    git -C "$ORIGIN" commit -q -am "doc edited"
    git -C "$ORIGIN" checkout -q main
    echo "notes" >"$ORIGIN/notes.txt"
    git -C "$ORIGIN" add -A
    git -C "$ORIGIN" commit -q -m "main moves on"
    git clone -q -b change "file://$ORIGIN" "$TMP/full"
    git clone -q --depth 1 --no-single-branch -b change "file://$ORIGIN" "$TMP/shallow"
} >>"$LOG" 2>&1 || fail "cannot build the scratch repositories"

# The pull request adds no finding: it passes, though the release is not on track (its late
# findings were on main already); judged as a whole, the same release fails.
REAL_DIR=$TMP/full REAL_NEW_SINCE=origin/main real pull_request release.yaml
grep -q -- "^relcheck check --gate on-track --format json --new-since origin/main " "$TMP/out" ||
    fail "no --new-since on the command line"
expect_file "$TMP/output" "exit-code=0
gate=on-track
pass=true
ready=false
on-track=false" "a pull request that adds no finding did not pass"
REAL_DIR=$TMP/full real pull_request release.yaml
expect_file "$TMP/output" "exit-code=1
gate=on-track
pass=false
ready=false
on-track=false" "without new-since, the late release passed"

# Turning the doc into a placeholder adds a late finding (RC006): the pull request fails.
printf 'TODO\n' >"$TMP/full/docs/search.md"
REAL_DIR=$TMP/full REAL_NEW_SINCE=origin/main real pull_request release.yaml
grep -q '"rule": "RC006"' "$TMP/out" || fail "the new placeholder finding is not in the report"
expect_file "$TMP/output" "exit-code=1
gate=on-track
pass=false
ready=false
on-track=false" "a pull request that adds a late finding passed"

# A shallow checkout lacks the merge base: exit 2, saying to fetch the history.
REAL_DIR=$TMP/shallow REAL_NEW_SINCE=origin/main real pull_request release.yaml
grep -q "fetch-depth: 0" "$TMP/out" || fail "the shallow clone's error does not name fetch-depth: 0"
expect_file "$TMP/output" "exit-code=2
gate=on-track
pass=false
ready=false
on-track=false" "a shallow clone was not exit 2"

# ---- 5. the install step: the release binary, verified, else built with cargo ----
# Releases served from a folder (file://, no network) laid out as GitHub serves them, made
# as the release workflow makes them: relcheck-TAG-TARGET/ with the executable, README.md
# and LICENSE, as .tar.gz (.zip for Windows), and SHA256SUMS over every file by sha256sum.
# A stub cargo stands in for the build (scripts/github-action.sh install runs it).
REL=$TMP/releases
# release TAG BODY TARGET...: a release of relcheck/relcheck whose executables run BODY
# (TARGET in it: their target).
release() {
    local tag=$1 body=$2
    shift 2
    local dir=$REL/relcheck/relcheck/releases/download/$tag target
    mkdir -p "$dir"
    for target in "$@"; do
        local name=relcheck-$tag-$target exe=""
        case "$target" in *windows*) exe=.exe ;; esac
        rm -rf "$TMP/stage"
        mkdir -p "$TMP/stage/$name"
        printf '#!/bin/sh\n%s\n' "${body//TARGET/$target}" >"$TMP/stage/$name/relcheck$exe"
        chmod +x "$TMP/stage/$name/relcheck$exe"
        echo "# relcheck" >"$TMP/stage/$name/README.md"
        echo "MIT" >"$TMP/stage/$name/LICENSE"
        if [ -n "$exe" ]; then
            (cd "$TMP/stage" && python3 -m zipfile -c "$dir/$name.zip" "$name")
        else
            tar -C "$TMP/stage" -czf "$dir/$name.tar.gz" "$name"
        fi
    done
    echo "a wheel" >"$dir/relcheck-${tag#v}-py3-none-any.whl"
    rm -f "$dir/SHA256SUMS"
    (cd "$dir" && sha256sum -- * >SHA256SUMS)
}
ALL_TARGETS="x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin
aarch64-apple-darwin x86_64-pc-windows-msvc"
# shellcheck disable=SC2086
{
    release v9.9.9 'echo "relcheck 9.9.9 TARGET"' $ALL_TARGETS
    # No binary for macOS x86_64 in this one.
    release v9.9.6 'echo "relcheck 9.9.6"' x86_64-unknown-linux-musl aarch64-apple-darwin
    release v9.9.5 'exit 3' x86_64-unknown-linux-musl
} >>"$LOG" 2>&1 || fail "cannot make the fake releases"
mkdir -p "$TMP/cargo-bin"
cat >"$TMP/cargo-bin/cargo" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$CARGO_ARGS"
while [ $# -gt 0 ]; do
    if [ "$1" = --root ]; then root=$2; fi
    shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "relcheck built"\n' >"$root/bin/relcheck"
chmod +x "$root/bin/relcheck"
STUB
chmod +x "$TMP/cargo-bin/cargo"

ACTIONS=$TMP/runner-work/_actions
INSTALLED=$TMP/install-temp/relcheck/bin
# install NAME [VAR=VALUE ...]: the install step on a Linux x86_64 runner, the action used
# as relcheck/relcheck@v9.9.9 unless the variables say otherwise.
install() {
    local name=$1
    shift
    rm -rf "$TMP/install-temp" "$TMP/cargo-args"
    mkdir -p "$TMP/install-temp"
    : >"$TMP/path"
    : >"$TMP/output"
    local code=0
    (
        cd "$TMP/work"
        env -u INPUT_VERSION -u ACTION_REPOSITORY -u ACTION_REF \
            PATH="$TMP/cargo-bin:$PATH" CARGO_ARGS="$TMP/cargo-args" \
            RUNNER_TEMP="$TMP/install-temp" GITHUB_PATH="$TMP/path" GITHUB_OUTPUT="$TMP/output" \
            RUNNER_OS=Linux RUNNER_ARCH=X64 RELCHECK_DOWNLOAD_BASE="file://$REL" \
            GITHUB_ACTION_PATH="$ACTIONS/relcheck/relcheck/v9.9.9" "$@" \
            "$ROOT/scripts/action-install.sh"
    ) >"$TMP/out" 2>&1 || code=$?
    { echo "== install: $name (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    return "$code"
}
downloaded() { # WHAT VERSION: installed from the release, not built
    [ ! -e "$TMP/cargo-args" ] || fail "$1: built with cargo instead of downloading"
    expect_file "$TMP/path" "$INSTALLED" "$1: not on GITHUB_PATH"
    expect_file "$TMP/output" "method=download
version=$2" "$1: wrong outputs"
}
built() { # WHAT: built with cargo from the action's checkout, the notice saying why
    expect_file "$TMP/cargo-args" "install
--locked
--quiet
--path
$ROOT
--root
$TMP/install-temp/relcheck" "$1: not built with cargo"
    expect_file "$TMP/path" "$INSTALLED" "$1: not on GITHUB_PATH"
    expect_file "$TMP/output" "method=build
version=relcheck built" "$1: wrong outputs"
    grep -q "^::notice title=relcheck::.*building relcheck with cargo" "$TMP/out" ||
        fail "$1: no notice that it builds"
}

# Each runner gets its own target's binary (the Windows one from the .zip), by the tag the
# action is pinned to; the checksum is verified.
for runner in Linux:X64:x86_64-unknown-linux-musl Linux:ARM64:aarch64-unknown-linux-musl \
    macOS:X64:x86_64-apple-darwin macOS:ARM64:aarch64-apple-darwin \
    Windows:X64:x86_64-pc-windows-msvc; do
    IFS=: read -r os arch target <<<"$runner"
    install "$os $arch" RUNNER_OS="$os" RUNNER_ARCH="$arch" || fail "the install failed on $os $arch"
    downloaded "$os $arch" "relcheck 9.9.9 $target"
    grep -q "relcheck-v9.9.9-$target\.\(tar\.gz\|zip\), SHA-256 [0-9a-f]\{64\} verified" "$TMP/out" ||
        fail "$os $arch: no word of the verified checksum"
done
[ -x "$INSTALLED/relcheck.exe" ] || fail "Windows: no relcheck.exe installed"

# The version input names the release whatever the action's ref (0.2.0 reads as v0.2.0); a
# Windows runner's path to the action has backslashes.
install "version input" INPUT_VERSION=9.9.9 GITHUB_ACTION_PATH="$ACTIONS/relcheck/relcheck/main" ||
    fail "the install failed with version 9.9.9"
downloaded "version input" "relcheck 9.9.9 x86_64-unknown-linux-musl"
install "Windows path" GITHUB_ACTION_PATH='D:\a\_actions\relcheck\relcheck\v9.9.9' ||
    fail "the install failed with a Windows path to the action"
downloaded "Windows path" "relcheck 9.9.9 x86_64-unknown-linux-musl"
# A local action (uses: ./) has only github.action_repository and github.action_ref.
install "local action, expressions" GITHUB_ACTION_PATH="$ROOT" ACTION_REPOSITORY=relcheck/relcheck \
    ACTION_REF=v9.9.9 || fail "the install failed for a local action"
downloaded "local action" "relcheck 9.9.9 x86_64-unknown-linux-musl"

# A wrong checksum is a hard error, never a build; so is an archive SHA256SUMS lists but
# the release lacks, and a binary that does not run.
SUMS=$REL/relcheck/relcheck/releases/download/v9.9.9/SHA256SUMS
cp "$SUMS" "$TMP/sums"
# (its first digit changed: 0 becomes 1, any other digit 0; the archives' checksums vary
# from run to run, as tar records the time)
sed -i '/ relcheck-v9.9.9-x86_64-unknown-linux-musl.tar.gz$/{s/^0/X/; s/^[1-9a-f]/0/; s/^X/1/}' "$SUMS"
cmp -s "$SUMS" "$TMP/sums" && fail "the checksum was not changed"
if install "wrong checksum"; then fail "a wrong checksum was installed"; fi
[ ! -e "$TMP/cargo-args" ] || fail "a wrong checksum fell back to building"
[ ! -s "$TMP/path" ] || fail "a wrong checksum put relcheck on GITHUB_PATH"
grep -q "^::error title=relcheck::checksum mismatch for relcheck-v9.9.9-x86_64-unknown-linux-musl.tar.gz" \
    "$TMP/out" || fail "no error naming the checksum mismatch"
cp "$TMP/sums" "$SUMS"
mv "$REL/relcheck/relcheck/releases/download/v9.9.9/relcheck-v9.9.9-aarch64-apple-darwin.tar.gz" "$TMP/"
if install "listed, missing" RUNNER_OS=macOS RUNNER_ARCH=ARM64; then
    fail "an archive listed in SHA256SUMS but missing was not an error"
fi
[ ! -e "$TMP/cargo-args" ] || fail "an archive listed but missing fell back to building"
grep -q "::error title=relcheck::cannot download .*relcheck-v9.9.9-aarch64-apple-darwin.tar.gz" \
    "$TMP/out" || fail "no error naming the missing archive"
mv "$TMP/relcheck-v9.9.9-aarch64-apple-darwin.tar.gz" "$REL/relcheck/relcheck/releases/download/v9.9.9/"
if install "does not run" INPUT_VERSION=v9.9.5; then fail "a binary that does not run was accepted"; fi
[ ! -e "$TMP/cargo-args" ] || fail "a binary that does not run fell back to building"
grep -q "::error title=relcheck::the installed relcheck does not run" "$TMP/out" ||
    fail "no error for a binary that does not run"
[ ! -s "$TMP/path" ] || fail "a binary that does not run was put on GITHUB_PATH"

# No binary can match: built with cargo. A runner without a release target; a release
# without this runner's archive; a tag without a release; a branch (REF may hold slashes),
# a commit; 'source'.
install "Windows ARM64" RUNNER_OS=Windows RUNNER_ARCH=ARM64 || fail "the install failed on Windows ARM64"
built "Windows ARM64"
install "no archive for macOS X64" RUNNER_OS=macOS RUNNER_ARCH=X64 INPUT_VERSION=v9.9.6 ||
    fail "the install failed without an archive for the runner"
built "no archive for macOS X64"
grep -q "release v9.9.6 has no binary for this runner (macOS X64: no relcheck-v9.9.6-x86_64-apple-darwin.tar.gz in SHA256SUMS)" \
    "$TMP/out" || fail "no notice naming the missing archive"
# A download that fails otherwise than "not found" is an error, not "no release".
if install "download fails" RELCHECK_DOWNLOAD_BASE=unknown-scheme://example.invalid; then
    fail "a failed download of SHA256SUMS was taken for a missing release"
fi
[ ! -e "$TMP/cargo-args" ] || fail "a failed download fell back to building"
grep -q "::error title=relcheck::cannot download unknown-scheme://.*/SHA256SUMS (curl exit 1" "$TMP/out" ||
    fail "no error naming the failed download"
install "no release" INPUT_VERSION=v9.9.8 || fail "the install failed for a tag without a release"
built "no release"
grep -q "no release v9.9.8 in relcheck/relcheck" "$TMP/out" || fail "no notice of the missing release"
install "a branch" GITHUB_ACTION_PATH="$ACTIONS/relcheck/relcheck/release/v1" ||
    fail "the install failed on a branch"
built "a branch"
grep -q "the action's ref 'release/v1' is no release tag" "$TMP/out" || fail "the branch is not named"
install "a commit" GITHUB_ACTION_PATH="$ACTIONS/relcheck/relcheck/0123456789abcdef0123456789abcdef01234567" ||
    fail "the install failed on a commit"
built "a commit"
install "source" INPUT_VERSION=source || fail "the install failed with version source"
built "source"
install "local action, nothing known" GITHUB_ACTION_PATH="$ROOT" || fail "the install failed"
built "local action, nothing known"

# Bad input: exit 2. Nothing to download and no cargo: an error saying what to do.
if install "bad version" INPUT_VERSION="v1/../../x"; then fail "version v1/../../x was accepted"; fi
grep -q "input 'version' must be a release tag such as v0.2.0, 'source' or empty" "$TMP/out" ||
    fail "no error for a bad version"
if ! PATH=/usr/bin:/bin command -v cargo >/dev/null; then
    if install "no cargo" PATH=/usr/bin:/bin INPUT_VERSION=source; then fail "built without cargo"; fi
    grep -q "cargo is not installed: install Rust before this step" "$TMP/out" ||
        fail "no error saying cargo is missing"
fi

# The GitLab example installs the release binary the same way: its before_script (less the
# apk add of the image's packages), run against the release served from the folder, checks
# the checksum before unpacking; a wrong checksum fails the job.
"$TMP/venv/bin/python" - "$ROOT/examples/ci/gitlab-ci.yml" "file://$REL" "$TMP/gitlab-bin/" \
    >"$TMP/gitlab-install.sh" 2>>"$LOG" <<'PY' || fail "cannot read the GitLab example's before_script"
import sys

import yaml

steps = yaml.safe_load(open(sys.argv[1]))[".relcheck"]["before_script"]
assert steps[0] == "apk add --no-cache curl git", steps[0]
for line in steps[1:]:
    assert "/usr/local/bin/" in line or "/usr/local/bin" not in line, line
    print(line.replace("https://github.com", sys.argv[2]).replace("/usr/local/bin/", sys.argv[3]))
PY
gitlab() { # NAME: the before_script in a fresh folder
    rm -rf "$TMP/gitlab" "$TMP/gitlab-bin"
    mkdir -p "$TMP/gitlab" "$TMP/gitlab-bin"
    local code=0
    (cd "$TMP/gitlab" && RELCHECK_VERSION=v9.9.9 RELCHECK_TARGET=x86_64-unknown-linux-musl \
        bash -e "$TMP/gitlab-install.sh") >"$TMP/out" 2>&1 || code=$?
    { echo "== GitLab before_script: $1 (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    return "$code"
}
gitlab "right checksum" || fail "the GitLab example's install failed"
[ "$("$TMP/gitlab-bin/relcheck" --version)" = "relcheck 9.9.9 x86_64-unknown-linux-musl" ] ||
    fail "the GitLab example did not install the release binary"
[ -z "$(ls -A "$TMP/gitlab")" ] || fail "the GitLab example left files behind: $(ls -A "$TMP/gitlab")"
# (its first digit changed: 0 becomes 1, any other digit 0; the archives' checksums vary
# from run to run, as tar records the time)
sed -i '/ relcheck-v9.9.9-x86_64-unknown-linux-musl.tar.gz$/{s/^0/X/; s/^[1-9a-f]/0/; s/^X/1/}' "$SUMS"
if gitlab "wrong checksum"; then fail "the GitLab example installed a binary with a wrong checksum"; fi
[ ! -e "$TMP/gitlab-bin/relcheck" ] || fail "the GitLab example installed a binary with a wrong checksum"
cp "$TMP/sums" "$SUMS"
