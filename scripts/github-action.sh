#!/usr/bin/env bash
# The steps of the GitHub Action in action.yml, kept in a script so they can be tested
# (scripts/action-check.sh). Inputs arrive as INPUT_* environment variables, never spliced
# into code.
#
#   github-action.sh install   build relcheck from this repository, put it on GITHUB_PATH
#   github-action.sh check     run `relcheck check` with the inputs under the gate (the
#                              input, else by GITHUB_EVENT_NAME), with --new-since when the
#                              new-since input is given (action.yml defaults it to the pull
#                              request's base); write the Markdown report to
#                              GITHUB_STEP_SUMMARY; set the outputs exit-code, gate, pass,
#                              ready, on-track and sarif-file (absolute). Exits 0 whatever the
#                              verdict: the action's last step fails the job, after the SARIF
#                              upload.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)

install() {
    local root="${RUNNER_TEMP:?}/relcheck"
    cargo install --locked --quiet --path "$HERE" --root "$root"
    echo "$root/bin" >>"${GITHUB_PATH:?}"
}

# true or false, for an input documented as 'true' or 'false'.
flag() {
    case "$2" in
    true | false) echo "$2" ;;
    *)
        echo "::error title=relcheck::input '$1' must be 'true' or 'false', not '$2'" >&2
        exit 2
        ;;
    esac
}

# The gate: the input when given, else by the event. A pull request (and a merge queue,
# which must pass the same checks) is judged by whether it makes the release late; every
# other event (a push, a tag, a schedule) by whether the release is ready to ship.
gate() {
    case "${INPUT_GATE:-}" in
    release | on-track) echo "$INPUT_GATE" ;;
    "")
        case "${GITHUB_EVENT_NAME:-}" in
        pull_request | pull_request_target | merge_group) echo on-track ;;
        *) echo release ;;
        esac
        ;;
    *)
        echo "::error title=relcheck::input 'gate' must be 'on-track' or 'release' (or empty: by the event), not '$INPUT_GATE'" >&2
        exit 2
        ;;
    esac
}

check() {
    local relcheck=${RELCHECK:-relcheck} tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
    local gate strict want_summary want_sarif
    gate=$(gate)
    strict=$(flag strict "${INPUT_STRICT:-false}")
    want_summary=$(flag summary "${INPUT_SUMMARY:-true}")
    want_sarif=$(flag sarif "${INPUT_SARIF:-false}")

    local -a args=(check --gate "$gate" --format "${INPUT_FORMAT:-github}")
    if [ "$strict" = true ]; then args+=(--strict); fi
    # One ref, as given (relcheck refuses one that starts with '-').
    if [ -n "${INPUT_NEW_SINCE:-}" ]; then args+=(--new-since "$INPUT_NEW_SINCE"); fi
    # The JSON report tells `ready` and `on_track` whatever the gate (the exit code is the
    # gate's).
    local verdict="$tmp/relcheck-verdict.json"
    rm -f "$verdict"
    args+=(--report "json=$verdict")
    local summary=""
    if [ "$want_summary" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        summary="$tmp/relcheck-summary.md"
        rm -f "$summary"
        args+=(--report "markdown=$summary")
    fi
    local sarif=""
    if [ "$want_sarif" = true ]; then
        sarif=${INPUT_SARIF_FILE:-relcheck.sarif}
        args+=(--report "sarif=$sarif")
    fi
    local line
    while IFS= read -r line; do
        line="${line#"${line%%[![:space:]]*}"}"
        line="${line%"${line##*[![:space:]]}"}"
        if [ -n "$line" ]; then args+=(--report "$line"); fi
    done <<<"${INPUT_REPORTS:-}"

    # Extra arguments and paths are split on white space; no glob expansion (folders are
    # searched for manifests anyway).
    set -f
    # shellcheck disable=SC2206
    local -a extra=(${INPUT_ARGS:-}) paths=(${INPUT_PATHS:-})
    set +f
    args+=("${extra[@]}")
    if [ ${#paths[@]} -gt 0 ]; then args+=(-- "${paths[@]}"); fi

    echo "relcheck ${args[*]}"
    local code=0
    "$relcheck" "${args[@]}" || code=$?

    if [ -n "$summary" ]; then
        if [ -s "$summary" ]; then
            cat "$summary" >>"$GITHUB_STEP_SUMMARY"
        else
            printf '### relcheck\n\nrelcheck could not evaluate the manifests (exit %s): see the step log.\n' \
                "$code" >>"$GITHUB_STEP_SUMMARY"
        fi
    fi
    {
        echo "exit-code=$code"
        echo "gate=$gate"
        if [ "$code" = 0 ]; then echo "pass=true"; else echo "pass=false"; fi
        # The report's top-level keys (serde's two-space indent); no report: neither.
        if grep -q '^  "ready": true,$' "$verdict" 2>/dev/null; then
            echo "ready=true"
        else
            echo "ready=false"
        fi
        if grep -q '^  "on_track": true,$' "$verdict" 2>/dev/null; then
            echo "on-track=true"
        else
            echo "on-track=false"
        fi
        if [ -n "$sarif" ] && [ -s "$sarif" ]; then
            echo "sarif-file=$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")"
        fi
    } >>"${GITHUB_OUTPUT:-/dev/null}"
}

case "${1:-}" in
install) install ;;
check) check ;;
*)
    echo "usage: $0 install|check" >&2
    exit 2
    ;;
esac
