#!/usr/bin/env bash
# Tests the GitHub Action without GitHub: action.yml and the CI examples are consistent
# (inputs, outputs, what the script reads), and scripts/github-action.sh builds the right
# relcheck command line, fills the job summary and the step outputs, and passes the verdict
# on. Needs python3 with venv and pip (PyYAML is installed into a temporary venv) and the
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

# The example workflow uses the action with inputs it has.
wf = yaml.safe_load(open(f"{root}/examples/ci/github-workflow.yml"))
uses = [s for job in wf["jobs"].values() for s in job["steps"]
        if s.get("uses", "").startswith("relcheck/relcheck@")]
assert len(uses) == 1, uses
assert set(uses[0].get("with", {})) <= set(inputs), uses[0]["with"]

# The GitLab example publishes the JUnit report that relcheck writes.
gl = yaml.safe_load(open(f"{root}/examples/ci/gitlab-ci.yml"))
job = gl["relcheck"]
junit = job["artifacts"]["reports"]["junit"]
assert any(f"--report junit={junit}" in line for line in job["script"]), job["script"]
assert job["artifacts"]["when"] == "always"
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
        env RELCHECK="$TMP/bin/relcheck" STUB_ARGS="$TMP/args" RUNNER_TEMP="$TMP/runner" \
            GITHUB_OUTPUT="$TMP/output" GITHUB_STEP_SUMMARY="$TMP/summary" "$@" \
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

step "every input" INPUT_STRICT=true INPUT_SARIF=true INPUT_FORMAT=human STUB_EXIT=1 \
    INPUT_REPORTS=$'junit=relcheck-junit.xml\n  html=report.html  \n' \
    INPUT_ARGS="--select RC1,RC2 --today 2026-11-26" \
    INPUT_PATHS=$'products/a/release.yaml\nproducts/b  program.yaml' ||
    fail "the check step failed instead of recording the verdict"
expect_file "$TMP/args" "check
--format
human
--strict
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
ready=false
sarif-file=$TMP/work/relcheck.sarif" "wrong step outputs"

step "defaults" || fail "the check step failed"
expect_file "$TMP/args" "check
--format
github
--report
markdown=$TMP/runner/relcheck-summary.md" "wrong default command line"
expect_file "$TMP/output" "exit-code=0
ready=true" "wrong outputs when ready"

step "no summary, could not evaluate" INPUT_SUMMARY=false STUB_EXIT=2 || fail "the check step failed"
expect_file "$TMP/args" "check
--format
github" "summary=false still asks for Markdown"
expect_file "$TMP/output" "exit-code=2
ready=false" "wrong outputs on exit 2"

step "nothing written" STUB_EXIT=2 STUB_SILENT=1 || fail "the check step failed"
grep -q "could not evaluate the manifests (exit 2)" "$TMP/summary" ||
    fail "no summary when relcheck wrote none"

if step "bad flag" INPUT_STRICT=yes; then fail "strict=yes was accepted"; fi
grep -q "input 'strict' must be 'true' or 'false', not 'yes'" "$TMP/out" ||
    fail "no error for strict=yes"

# ---- 3. the command line it builds is one the real relcheck accepts ----
BIN=${RELCHECK_BIN:-$ROOT/target/debug/relcheck}
[ -x "$BIN" ] || fail "no relcheck binary at $BIN (run cargo build first)"
: >"$TMP/output"
code=0
(
    cd "$ROOT"
    env RELCHECK="$BIN" GITHUB_OUTPUT="$TMP/output" RUNNER_TEMP="$TMP/runner" \
        INPUT_FORMAT=json INPUT_SUMMARY=false INPUT_ARGS="--today 2026-11-26" \
        INPUT_PATHS="examples/storefront/release.yaml examples/not-ready/release.yaml" \
        "$ROOT/scripts/github-action.sh" check
) >"$TMP/out" 2>&1 || code=$?
{ echo "== real relcheck (exit $code)"; cat "$TMP/out"; } >>"$LOG"
[ "$code" = 0 ] || fail "the check step failed with the real relcheck"
grep -q '"ready": false' "$TMP/out" || fail "no JSON report from the real relcheck"
expect_file "$TMP/output" "exit-code=1
ready=false" "wrong outputs with the real relcheck"
