#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium renders the report of a manifest
# whose feature titles are `<script>alert(1)</script>` and an <img onerror> that would mark
# the page, and this check proves the titles are shown as text and nothing ran. It also
# takes a screenshot. Quiet on success; on failure it says what went wrong and exits 1.
#
#   scripts/html-check.sh                 check (what .ci/run does)
#   scripts/html-check.sh --docs          also refresh docs/html-report.png from
#                                         examples/not-ready/release.yaml
#
# Chromium comes from Debian (`apt-get install -y chromium`) and is installed when missing.
# RELCHECK may name the relcheck binary to use (default: target/debug/relcheck, built if
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
    echo "html-check: $*" >&2
    exit 1
}

browser=""
for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
        browser="$name"
        break
    fi
done
if [ -z "$browser" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "chromium is missing and apt-get is not available to install it"
    fi
    log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        fail "could not install chromium with apt-get"
    fi
    rm -f "$log"
    browser=chromium
fi

relcheck="${RELCHECK:-target/debug/relcheck}"
if [ ! -x "$relcheck" ]; then
    cargo build --quiet --locked
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Renders $1 (an HTML file) with a fresh profile; $2 is --dump-dom or --screenshot=FILE;
# $3 the window height (default 1600).
render() {
    local profile
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --hide-scrollbars --user-data-dir="$profile" \
        --window-size="1280,${3:-1600}" "$2" "file://$1" 2>"$work/chromium.log"
}

fixture=tests/fixtures/formats/hostile/release.yaml
status=0
"$relcheck" check "$fixture" --today 2026-11-26 --format html --output "$work/report.html" || status=$?
[ "$status" -eq 1 ] || fail "relcheck check $fixture exited $status, expected 1 (not ready)"

render "$work/report.html" --dump-dom >"$work/dom.html" || {
    cat "$work/chromium.log" >&2
    fail "chromium could not render the report"
}
dom="$work/dom.html"

# The title is in the DOM as text: serialised escaped, inside its table cell.
grep -qF '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>' "$dom" ||
    fail "the title <script>alert(1)</script> is not shown as text in the rendered page"
grep -qF '<td>&lt;img src=x onerror="document.body.setAttribute(' "$dom" ||
    fail "the <img onerror> title is not shown as text in the rendered page"
# No element came from a manifest string, and the handler that would mark the page never ran.
if grep -qiE '<(script|img|iframe|object)[ >]' "$dom"; then
    fail "the rendered page holds an element a manifest string injected"
fi
if grep -qF 'data-pwned' <(grep -o '<body[^>]*>' "$dom"); then
    fail "a script in a manifest string ran"
fi
grep -qF 'NOT READY' "$dom" || fail "the verdict banner is missing from the rendered page"

render "$work/report.html" --screenshot="$work/report.png" || {
    cat "$work/chromium.log" >&2
    fail "chromium could not take a screenshot"
}
[ -s "$work/report.png" ] || fail "the screenshot is empty"
[ "$(head -c 8 "$work/report.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
    fail "the screenshot is not a PNG"

if [ "${1:-}" = "--docs" ]; then
    example=examples/not-ready/release.yaml
    "$relcheck" check "$example" --today 2026-11-26 --format html --output "$work/example.html" || true
    render "$work/example.html" --screenshot="$work/example.png" 2250 || {
        cat "$work/chromium.log" >&2
        fail "chromium could not take the screenshot of $example"
    }
    cp "$work/example.png" docs/html-report.png
fi
