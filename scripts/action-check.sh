#!/usr/bin/env bash
# Tests the GitHub Action without GitHub: action.yml and the CI examples are consistent
# (inputs, outputs, what the script reads, the gate of each workflow and GitLab job), and
# scripts/github-action.sh builds the right relcheck command line (the gate: on-track on
# pull requests, release otherwise, or the input), fills the job summary and the step
# outputs, and passes the verdict on; with the real relcheck, a fresh `relcheck init`
# starter passes a pull request and fails a release job. Needs python3 with venv and pip (PyYAML is installed into a temporary venv) and the
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

# The example workflows use the action with inputs it has: the pull-request workflow under
# the pre-merge gate, with --new-since and the history it needs ready to uncomment; the
# release workflow under the release gate, on a tag and on a schedule.
def workflow(name):
    text = open(f"{root}/examples/ci/{name}").read()
    wf = yaml.safe_load(text)
    uses = [s for job in wf["jobs"].values() for s in job["steps"]
            if s.get("uses", "").startswith("relcheck/relcheck@")]
    assert len(uses) == 1, uses
    assert set(uses[0].get("with", {})) <= set(inputs), uses[0]["with"]
    return text, wf.get("on", wf.get(True)), uses[0]["with"]

text, on, given = workflow("github-pull-request.yml")
assert "pull_request" in on, on
assert given["gate"] == "on-track", given
assert "# args: --new-since origin/${{ github.base_ref }}" in text
assert "#   fetch-depth: 0" in text
text, on, given = workflow("github-release.yml")
assert "pull_request" not in on, on
assert on["push"]["tags"] and on["schedule"], on
assert given["gate"] == "release", given

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
assert '# - relcheck check release.yaml --gate on-track --new-since "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in gl_text
assert "#   GIT_DEPTH: 0" in gl_text
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
        json=*) printf '{\n  "version": 1,\n  "ready": %s,\n}\n' "${STUB_READY:-false}" >"${a#json=}" ;;
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
    INPUT_GATE=on-track GITHUB_EVENT_NAME=push \
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
ready=true" "wrong outputs when ready"

# The gate follows the event unless the input names one; `ready` follows the report, not
# the exit code.
for event in pull_request pull_request_target merge_group; do
    step "gate on $event" GITHUB_EVENT_NAME=$event INPUT_SUMMARY=false || fail "the check step failed"
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
ready=false" "wrong outputs of a passing on-track gate on $event"
done
for event in push schedule release workflow_dispatch; do
    step "gate on $event" GITHUB_EVENT_NAME=$event INPUT_SUMMARY=false STUB_EXIT=1 ||
        fail "the check step failed"
    grep -qx release <(sed -n 3p "$TMP/args") || fail "not the release gate on $event"
    expect_file "$TMP/output" "exit-code=1
gate=release
pass=false
ready=false" "wrong outputs of a failing release gate on $event"
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
ready=false" "wrong outputs on exit 2"

step "nothing written" STUB_EXIT=2 STUB_SILENT=1 || fail "the check step failed"
grep -q "could not evaluate the manifests (exit 2)" "$TMP/summary" ||
    fail "no summary when relcheck wrote none"
grep -q "^ready=false$" "$TMP/output" || fail "ready without a report"

if step "bad flag" INPUT_STRICT=yes; then fail "strict=yes was accepted"; fi
grep -q "input 'strict' must be 'true' or 'false', not 'yes'" "$TMP/out" ||
    fail "no error for strict=yes"

# ---- 3. the command line it builds is one the real relcheck accepts ----
BIN=${RELCHECK_BIN:-$ROOT/target/debug/relcheck}
[ -x "$BIN" ] || fail "no relcheck binary at $BIN (run cargo build first)"

# real EVENT PATHS...: the check step with the real relcheck, in the checkout, on 2026-11-26.
real() {
    local event=$1
    shift
    : >"$TMP/output"
    local code=0
    (
        cd "$ROOT"
        env RELCHECK="$BIN" GITHUB_OUTPUT="$TMP/output" RUNNER_TEMP="$TMP/runner" \
            GITHUB_EVENT_NAME="$event" INPUT_FORMAT=json INPUT_SUMMARY=false \
            INPUT_ARGS="--today 2026-11-26" INPUT_PATHS="$*" \
            "$ROOT/scripts/github-action.sh" check
    ) >"$TMP/out" 2>&1 || code=$?
    { echo "== real relcheck on $event: $* (exit $code)"; cat "$TMP/out"; } >>"$LOG"
    [ "$code" = 0 ] || fail "the check step failed with the real relcheck"
}

real push examples/storefront/release.yaml examples/not-ready/release.yaml
grep -q '"ready": false' "$TMP/out" || fail "no JSON report from the real relcheck"
expect_file "$TMP/output" "exit-code=1
gate=release
pass=false
ready=false" "wrong outputs with the real relcheck"

real push examples/storefront/release.yaml
expect_file "$TMP/output" "exit-code=0
gate=release
pass=true
ready=true" "wrong outputs for a ready release"

# A fresh starter is on track but not ready: a pull request passes, a release job fails.
"$BIN" init --today 2026-11-26 --output "$TMP/starter/release.yaml" >>"$LOG" 2>&1 ||
    fail "relcheck init failed"
real pull_request "$TMP/starter/release.yaml"
expect_file "$TMP/output" "exit-code=0
gate=on-track
pass=true
ready=false" "a pull request did not pass a release that is on track"
real schedule "$TMP/starter/release.yaml"
expect_file "$TMP/output" "exit-code=1
gate=release
pass=false
ready=false" "a scheduled release gate passed a release that is not ready"
