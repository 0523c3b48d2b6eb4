#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts relcheck on GITHUB_PATH. It downloads
# the release binary for the runner when there is one (seconds) and builds relcheck from the
# action's own source with cargo only when there is none (minutes).
#
# Which release: the `version` input (INPUT_VERSION), a release tag such as v0.2.0 (0.2.0 is
# read as v0.2.0); empty: the action's own ref, the REF of `uses: OWNER/REPO@REF`, when it
# is a tag v* (pin the action to a release tag and that release's binary runs it); 'source':
# always build. Releases come from the action's own repository, as the release workflow
# (.github/workflows/release.yml) publishes them on a tag v*:
#
#   https://github.com/OWNER/REPO/releases/download/TAG/SHA256SUMS
#   https://github.com/OWNER/REPO/releases/download/TAG/relcheck-TAG-TARGET.tar.gz (.zip: Windows)
#
# each archive holding relcheck-TAG-TARGET/relcheck (relcheck.exe), and SHA256SUMS the
# `sha256sum` line of every file of the release. TARGET by RUNNER_OS and RUNNER_ARCH:
#
#   Linux X64 x86_64-unknown-linux-musl    Linux ARM64 aarch64-unknown-linux-musl
#   macOS X64 x86_64-apple-darwin          macOS ARM64 aarch64-apple-darwin
#   Windows X64 x86_64-pc-windows-msvc     anything else: no binary, build
#
# It builds (scripts/github-action.sh install: cargo install from the action's checkout)
# when no binary can match: no target for the runner, a ref that is no tag v* (a branch, a
# commit; or a local action, `uses: ./`), a tag without a release (SHA256SUMS not found), a
# release whose SHA256SUMS lists no archive for the target. Everything else is a hard
# error, never a build: SHA256SUMS or the archive cannot be downloaded (a network failure
# is not "no release"), the archive's checksum differs from its SHA256SUMS line, the
# archive holds no relcheck, or the binary does not run (`relcheck --version`).
#
# Outputs (GITHUB_OUTPUT): method=download|build, version=`relcheck --version`.
# Uses only what GitHub's runners have: bash (Git Bash on Windows), curl, sha256sum or
# shasum -a 256, tar, and unzip, 7z or PowerShell for the Windows .zip.
# RELCHECK_DOWNLOAD_BASE replaces https://github.com (scripts/action-check.sh serves a
# release from a folder with file://; a mirror of the releases would do too).
# Tested by scripts/action-check.sh.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)

notice() { echo "::notice title=relcheck::$*"; }
die() { # CODE MESSAGE
    echo "::error title=relcheck::$2" >&2
    exit "$1"
}

# The Rust target of the release binary for this runner, or nothing.
target() {
    case "${RUNNER_OS:-}:${RUNNER_ARCH:-}" in
    Linux:X64) echo x86_64-unknown-linux-musl ;;
    Linux:ARM64) echo aarch64-unknown-linux-musl ;;
    macOS:X64) echo x86_64-apple-darwin ;;
    macOS:ARM64) echo aarch64-apple-darwin ;;
    Windows:X64) echo x86_64-pc-windows-msvc ;;
    esac
}

# OWNER/REPO and REF of the action, as "OWNER/REPO REF", or nothing when unknown. The
# runner checks an action out at .../_actions/OWNER/REPO/REF (REF may hold slashes), which
# stays right where github.action_repository and github.action_ref do not (they are empty
# in some composite steps and the outer action's in a nested one); a local action
# (`uses: ./`) has no such path, and then the expressions (ACTION_REPOSITORY, ACTION_REF)
# are the best there is.
action_ref() {
    local path=${GITHUB_ACTION_PATH:-}
    path=${path//\\//}
    case "$path" in
    */_actions/*/*/*)
        local rest=${path##*/_actions/}
        local owner=${rest%%/*}
        rest=${rest#*/}
        local repo=${rest%%/*}
        echo "$owner/$repo ${rest#*/}"
        ;;
    *)
        if [ -n "${ACTION_REPOSITORY:-}" ] && [ -n "${ACTION_REF:-}" ]; then
            echo "$ACTION_REPOSITORY $ACTION_REF"
        fi
        ;;
    esac
}

# The lowercase SHA-256 of FILE.
sha256() {
    local sum
    if command -v sha256sum >/dev/null 2>&1; then
        sum=$(sha256sum -b "$1")
    elif command -v shasum >/dev/null 2>&1; then
        sum=$(shasum -a 256 -b "$1")
    else
        die 1 "cannot verify the release binary: neither sha256sum nor shasum is installed"
    fi
    sum=${sum%% *}
    sum=${sum#\\}
    echo "$sum" | tr 'A-F' 'a-f'
}

# The checksum SHA256SUMS gives for NAME (`HASH  NAME` or `HASH *NAME`), or nothing.
listed() {
    tr -d '\r' <SHA256SUMS | awk -v name="$1" \
        '($2 == name || $2 == "*" name) && NF == 2 { print tolower($1); exit }'
}

# fetch URL FILE: 0 fetched, 3 not there (HTTP 404, or no such file for file://), exits on
# any other failure.
fetch() {
    local code=0 status
    status=$(curl --fail --silent --show-error --location --retry 3 --output "$2" \
        --write-out '%{http_code}' "$1" 2>curl.err) || code=$?
    if [ "$code" = 0 ]; then return 0; fi
    if { [ "$code" = 22 ] && [ "$status" = 404 ]; } || [ "$code" = 37 ]; then return 3; fi
    cat curl.err >&2
    die 1 "cannot download $1 (curl exit $code, HTTP $status)"
}

unpack_zip() {
    if command -v unzip >/dev/null 2>&1; then
        unzip -q "$1"
    elif command -v 7z >/dev/null 2>&1; then
        7z x -y -bso0 -bsp0 "$1"
    elif command -v powershell.exe >/dev/null 2>&1; then
        powershell.exe -NoProfile -NonInteractive -Command \
            "Expand-Archive -LiteralPath '$1' -DestinationPath ."
    else
        die 1 "cannot unpack $1: no unzip, 7z or PowerShell"
    fi
}

# Downloads, verifies and installs the release binary of TAG from REPO for TARGET into ROOT;
# DOWNLOADED=false when the release has none (no release, or no archive for the target).
DOWNLOADED=false
download() {
    local repo=$1 tag=$2 target=$3 root=$4
    local base="${RELCHECK_DOWNLOAD_BASE:-https://github.com}/$repo/releases/download/$tag"
    local name="relcheck-$tag-$target" exe="" archive
    case "$target" in
    *windows*) archive=$name.zip exe=.exe ;;
    *) archive=$name.tar.gz ;;
    esac
    local work="${RUNNER_TEMP:?}/relcheck-download"
    rm -rf "$work"
    mkdir -p "$work"
    cd "$work" # relative names from here on: tar reads D:\... as a remote host

    local code=0
    fetch "$base/SHA256SUMS" SHA256SUMS || code=$?
    if [ "$code" = 3 ]; then
        notice "no release $tag in $repo (no $base/SHA256SUMS)"
        return 0
    fi
    local want
    want=$(listed "$archive")
    if [ -z "$want" ]; then
        notice "release $tag has no binary for this runner ($RUNNER_OS $RUNNER_ARCH: no $archive in SHA256SUMS)"
        return 0
    fi
    [[ "$want" =~ ^[0-9a-f]{64}$ ]] || die 1 "SHA256SUMS of $tag: '$want' is no SHA-256 for $archive"

    code=0
    fetch "$base/$archive" "$archive" || code=$?
    [ "$code" = 0 ] || die 1 "cannot download $base/$archive, though SHA256SUMS lists it"
    local got
    got=$(sha256 "$archive") || exit 1
    [ "$got" = "$want" ] ||
        die 1 "checksum mismatch for $archive: SHA256SUMS says $want, the download is $got; not installing it"

    case "$archive" in
    *.zip) unpack_zip "$archive" ;;
    *) tar -xzf "$archive" ;;
    esac
    local bin="$name/relcheck$exe"
    [ -f "$bin" ] || die 1 "$archive holds no $bin"
    mkdir -p "$root/bin"
    cp "$bin" "$root/bin/relcheck$exe"
    chmod +x "$root/bin/relcheck$exe"
    cd "$HERE"
    rm -rf "$work"
    DOWNLOADED=true
    echo "relcheck $tag ($target) from $base/$archive, SHA-256 $got verified"
}

main() {
    local root="${RUNNER_TEMP:?}/relcheck"
    local version=${INPUT_VERSION:-} tag="" repo="" ref="" target
    target=$(target)
    read -r repo ref <<<"$(action_ref)" || true

    case "$version" in
    source) ;;
    "")
        if [[ "$ref" =~ ^v[0-9][0-9A-Za-z._+-]*$ ]]; then tag=$ref; fi
        ;;
    *)
        [[ "$version" =~ ^v?[0-9][0-9A-Za-z._+-]*$ ]] ||
            die 2 "input 'version' must be a release tag such as v0.2.0, 'source' or empty (the action's own ref), not '$version'"
        tag=v${version#v}
        ;;
    esac

    local method=build
    if [ -z "$target" ]; then
        notice "no release binary for $RUNNER_OS $RUNNER_ARCH: building relcheck with cargo (minutes)"
    elif [ "$version" = source ]; then
        notice "version: source: building relcheck with cargo (minutes)"
    elif [ -z "$tag" ]; then
        notice "the action's ref '${ref:-unknown}' is no release tag: building relcheck with cargo (minutes); pin the action to a release tag, or name the release in the version input (a commit pin: its tag), to download the release binary (seconds)"
    elif [ -z "$repo" ]; then
        notice "the action's repository is unknown (a local action?): building relcheck with cargo (minutes)"
    else
        download "$repo" "$tag" "$target" "$root"
        if [ "$DOWNLOADED" = true ]; then
            method=download
        else
            notice "building relcheck with cargo instead (minutes)"
        fi
    fi
    cd "$HERE"
    if [ "$method" = build ]; then
        command -v cargo >/dev/null 2>&1 ||
            die 1 "relcheck has to be built here (see above) but cargo is not installed: install Rust before this step (e.g. dtolnay/rust-toolchain), or install relcheck yourself and set install: 'false'"
        "$HERE/scripts/github-action.sh" install # puts $root/bin on GITHUB_PATH
    fi
    local exe="" said
    if [ -f "$root/bin/relcheck.exe" ]; then exe=.exe; fi
    said=$("$root/bin/relcheck$exe" --version) ||
        die 1 "the installed relcheck does not run on this runner ($RUNNER_OS $RUNNER_ARCH); version: source builds it here instead"
    if [ "$method" = download ]; then echo "$root/bin" >>"${GITHUB_PATH:?}"; fi
    echo "$said ($method)"
    {
        echo "method=$method"
        echo "version=$said"
    } >>"${GITHUB_OUTPUT:-/dev/null}"
}

main "$@"
