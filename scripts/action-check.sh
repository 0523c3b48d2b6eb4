#!/usr/bin/env bash
# Tests the GitHub Action without GitHub: action.yml and the CI examples are consistent
# (inputs, outputs, what the script reads, the gate of each workflow and GitLab job), and
# scripts/github-action.sh builds the right relcheck command line (the gate: on-track on
# pull requests, release otherwise, or the input; --new-since from its input, which defaults
# to the pull request's base), fills the job summary and the step outputs (on-track from the
# report), and passes the verdict on; with the real relcheck, a fresh `relcheck init`
# starter passes a pull request and fails a release job, and in a scratch repository a pull
# request is judged by the findings it adds against its base branch (a shallow clone: exit 2
# naming the fix). Needs python3 with venv and pip (PyYAML is installed into a temporary venv) and the
# debug build of relcheck (cargo build). Quiet on success. Run from .ci/run.
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
