#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium renders the report of a manifest
# whose feature titles are `<script>alert(1)</script>` and an <img onerror> that would mark
# the page, and this check proves the titles are shown as text and nothing ran; then the
# report of a release with sprints and such a name, whose two pictures (inline SVG: the
# schedule and the pace) must be in the page with the name as text; then the report of
# examples/not-ready/release.yaml, pictures included, of which it takes the screenshot the
# README shows. Quiet on success; on failure it says what went wrong and exits 1.
#
#   scripts/html-check.sh                 check (what .ci/run does)
#   scripts/html-check.sh --docs          also refresh docs/html-report.png with that
#                                         screenshot
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

# A release with sprints: both pictures are drawn, labelled, and hold the name as text.
mkdir "$work/pictures"
cat >"$work/pictures/release.yaml" <<'YAML'
relcheck: 1
release:
  name: "<script>alert(1)</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
  date: 2026-12-18
  freeze: 2026-11-20
sprints:
  - {id: S1, kind: feature, start: 2026-11-02, end: 2026-11-13, completed: 30, hours_per_week: 45}
  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 28, hours_per_week: 40}
features:
  - {id: f, status: in-progress}
YAML
status=0
"$relcheck" check "$work/pictures/release.yaml" --today 2026-11-26 --format html \
    --output "$work/pictures.html" || status=$?
[ "$status" -eq 1 ] || fail "relcheck check (a release with sprints) exited $status, expected 1"
render "$work/pictures.html" --dump-dom >"$work/pictures-dom.html" || {
    cat "$work/chromium.log" >&2
    fail "chromium could not render the report with pictures"
}
dom="$work/pictures-dom.html"
for picture in schedule pace; do
    grep -qF "<svg class=\"chart\" role=\"img\" aria-labelledby=\"m0-$picture-title m0-$picture-desc\"" "$dom" ||
        fail "the $picture picture is missing from the rendered page"
done
grep -qF '<title id="m0-schedule-title">Schedule of release &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=' "$dom" ||
    fail "the release name is not shown as text in the schedule picture's title"
if grep -qiE '<(script|img|iframe|object|foreignObject)[ >]' "$dom"; then
    fail "the rendered page with pictures holds an element a manifest string injected"
fi
if grep -qF 'data-pwned' <(grep -o '<body[^>]*>' "$dom"); then
    fail "a script in a manifest string ran in the page with pictures"
fi

# The README's screenshot: examples/not-ready, its pictures included.
example=examples/not-ready/release.yaml
status=0
"$relcheck" check "$example" --today 2026-11-26 --format html --output "$work/example.html" || status=$?
[ "$status" -eq 1 ] || fail "relcheck check $example exited $status, expected 1 (not ready)"
render "$work/example.html" --dump-dom >"$work/example-dom.html" || {
    cat "$work/chromium.log" >&2
    fail "chromium could not render the report of $example"
}
for title in "Schedule of release Marketplace 1.8" "Pace of release Marketplace 1.8"; do
    grep -qF ">$title</title>" "$work/example-dom.html" ||
        fail "the picture '$title' is missing from the report of $example"
done
render "$work/example.html" --screenshot="$work/example.png" 2250 || {
    cat "$work/chromium.log" >&2
    fail "chromium could not take the screenshot of $example"
}
[ -s "$work/example.png" ] || fail "the screenshot is empty"
[ "$(head -c 8 "$work/example.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
    fail "the screenshot is not a PNG"

if [ "${1:-}" = "--docs" ]; then
    cp "$work/example.png" docs/html-report.png
fi
