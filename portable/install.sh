#!/bin/sh
# Finds the release-action binary for this runner, pinned by content, and
# writes its path to the step output "path".
#
# The checksum list (checksums.txt next to action.yml, in $GITHUB_ACTION_PATH)
# is committed by the release workflow into the commit the release tag points
# to. It names that release's tag and the sha256 of each binary. Because the
# runner checked out exactly that commit to run this action, a binary whose hash
# is not in the list never runs, whoever replaced the release asset.
#
# Order: a copy in the runner's tool cache, if its hash still matches; else a
# download from the release, verified before it is cached. No token is sent:
# release assets of a public repository need none.
#
# Plain POSIX sh, no bashisms: it runs under macOS's bash 3.2, Git Bash, and
# any sh (scripts/test runs it under dash and bash).
#
# Environment: RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_ACTION_PATH,
# GITHUB_SERVER_URL, GITHUB_OUTPUT (all set by the runner), ACTION_REPOSITORY
# and ACTION_REF (github.action_repository and github.action_ref, passed by
# action.yml: the runner leaves GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF
# empty in a composite action's steps). RELEASE_ACTION_MAX_TIME bounds one
# download attempt, and the time in which retries may start, in seconds
# (default 120). RELEASE_ACTION_REPLACE_WAIT bounds, in seconds, the wait for a
# cached binary that cannot be replaced yet (default 60): on Windows a running
# or freshly scanned .exe cannot be overwritten.
set -eu

fail() {
	echo "::error title=release-action/portable::$*"
	exit 1
}

# to_unix sets upath to a path the runner gave in Windows form (C:\x\y) in this
# shell's form: by cygpath (Git Bash, MSYS2, Cygwin), else wslpath (WSL's
# bash); without either, a drive path becomes /c/x/y where this shell has /c,
# or /mnt/c/x/y where it has /mnt/c, and a notice says so. Other paths are kept.
to_unix() {
	upath=$1
	case $1 in
	*\\*) ;;
	*) return 0 ;;
	esac
	if command -v cygpath >/dev/null 2>&1; then
		upath=$(cygpath -u "$1")
		return 0
	fi
	if command -v wslpath >/dev/null 2>&1; then
		upath=$(wslpath -u "$1")
		return 0
	fi
	drive=c
	case $1 in
	[A-Za-z]:\\*)
		drive=$(printf '%s' "${1%%:*}" | tr '[:upper:]' '[:lower:]')
		# shellcheck disable=SC1003 # tr reads '\\' as one backslash
		rest=$(printf '%s' "${1#?:}" | tr '\\' '/')
		for root in "/$drive" "/mnt/$drive"; do
			if [ -d "$root" ]; then
				echo "::notice title=release-action/portable::no cygpath or wslpath on PATH; reading $1 as $root$rest"
				upath=$root$rest
				return 0
			fi
		done
		;;
	esac
	fail "cannot read the Windows path '$1': the shell running this step has neither cygpath (Git Bash) nor wslpath (WSL) on PATH, and no /$drive or /mnt/$drive to map it to." \
		"Put Git for Windows' bin folder (bash.exe, cygpath.exe) first on the runner's PATH."
}

sha256_of() {
	# Read from stdin: sha256sum escapes file names that hold a backslash.
	if command -v sha256sum >/dev/null 2>&1; then
		sum=$(sha256sum <"$1")
	elif command -v shasum >/dev/null 2>&1; then
		sum=$(shasum -a 256 <"$1")
	else
		sum=$(openssl dgst -sha256 -r <"$1")
	fi
	printf '%s\n' "${sum%% *}"
}

# platform sets goos, goarch and ext from the runner's names.
platform() {
	case ${RUNNER_OS:-} in
	Linux) goos=linux ext='' ;;
	macOS) goos=darwin ext='' ;;
	Windows) goos=windows ext=.exe ;;
	*) fail "runner.os '${RUNNER_OS:-}' is not supported; the binaries are built for Linux, macOS and Windows" ;;
	esac
	case ${RUNNER_ARCH:-} in
	X64) goarch=amd64 ;;
	ARM64) goarch=arm64 ;;
	*) fail "runner.arch '${RUNNER_ARCH:-}' is not supported; the binaries are built for X64 and ARM64" ;;
	esac
}

no_binaries() {
	fail "${repo:-this action} at ref '${ref:-none, a local path}' has no pinned binaries ($1)." \
		"Only release tags carry them: use '${repo:-OWNER/REPO}/portable@vX.Y.Z' or '@vX'." \
		"On a branch or an untagged commit, use the container action on a Linux runner" \
		"('uses: ${repo:-OWNER/REPO}@${ref:-REF}'), or build the binary from source" \
		"(CGO_ENABLED=0 go build -trimpath -o release-action . in a checkout) and run it with the inputs as INPUT_* variables."
}

# read_list sets tag and want (the pinned sha256 of asset) from the list:
# a "# tag: TAG" line, and "SHA256  NAME" lines (sha256sum's format, "*" or
# " " before the name).
read_list() {
	[ -f "$1" ] || no_binaries "no checksums.txt in the action's folder"
	cr=$(printf '\r')
	tag='' want=''
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%"$cr"}
		case $line in
		'# tag: '*)
			t=${line#'# tag: '}
			case $t in
			'' | *[!0-9A-Za-z._-]*) ;;
			*) tag=$t ;;
			esac
			;;
		*)
			sum=${line%%' '*}
			name=${line#"$sum" }
			name=${name#[ *]}
			if [ ${#sum} = 64 ] && [ "$name" = "$asset" ]; then
				case $sum in
				*[!0-9a-f]*) ;;
				*) want=$sum ;;
				esac
			fi
			;;
		esac
	done <"$1"
	[ -n "$tag" ] || no_binaries "checksums.txt names no release tag"
	[ -n "$want" ] || fail "checksums.txt of release $tag pins no binary for $RUNNER_OS $RUNNER_ARCH ($asset)"
}

# seconds NAME VALUE DEFAULT sets secs to VALUE (or DEFAULT when empty), a
# whole number of seconds above zero.
seconds() {
	secs=${2:-$3}
	case $secs in
	'' | 0* | *[!0-9]*) fail "$1 is '$secs', not a number of seconds" ;;
	esac
}

# loopback_http succeeds when server is plain http on 127.0.0.1, [::1] or
# localhost, with or without a port: the only plain http allowed (tests).
loopback_http() {
	hostport=${server#http://}
	[ "$hostport" != "$server" ] || return 1
	case $hostport in
	127.0.0.1 | '[::1]' | localhost) return 0 ;;
	127.0.0.1:*) port=${hostport#127.0.0.1:} ;;
	'[::1]:'*) port=${hostport#'[::1]:'} ;;
	localhost:*) port=${hostport#localhost:} ;;
	*) return 1 ;;
	esac
	case $port in
	'' | *[!0-9]*) return 1 ;;
	esac
}

# valid_repo succeeds for owner/name.
valid_repo() {
	case $1 in
	*/*) ;;
	*) return 1 ;;
	esac
	for part in "${1%%/*}" "${1#*/}"; do
		case $part in
		'' | *[!A-Za-z0-9_.-]*) return 1 ;;
		esac
	done
}

# download URL OUT: a bounded download that never sends credentials: --disable
# ignores ~/.curlrc, and no -u, -H or --netrc is ever given.
download() {
	proto='=https'
	if loopback_http; then
		proto='=http,https'
	fi
	# One attempt takes at most max seconds, and no retry starts after max
	# seconds, so the whole download ends within about twice that.
	seconds RELEASE_ACTION_MAX_TIME "${RELEASE_ACTION_MAX_TIME:-}" 120
	max=$secs
	rc=0
	code=$(curl --disable --fail --silent --show-error --location \
		--proto "$proto" --proto-redir "$proto" \
		--connect-timeout 30 --max-time "$max" \
		--retry 3 --retry-delay 2 --retry-max-time "$max" \
		--write-out '%{http_code}' --output "$2" "$1") || rc=$?
	[ "$rc" = 0 ] && return 0
	if [ "$code" = 404 ]; then
		fail "release $tag of $repo has no asset $asset ($1 answered 404); the release is incomplete, re-run its release workflow"
	fi
	fail "download of $1 failed (curl exit code $rc, HTTP status ${code:-none})"
}

# from_cache succeeds when the cached binary's hash is the pinned one, and
# removes a cached copy that no longer matches.
from_cache() {
	[ -f "$1" ] || return 1
	got=$(sha256_of "$1")
	if [ "$got" = "$want" ]; then
		echo "release-action $tag: using $1 from the tool cache (sha256 $want)"
		return 0
	fi
	echo "::warning title=release-action/portable::$1 in the tool cache has sha256 $got, not the pinned $want; downloading it again"
	rm -f "$1" || true # a busy copy is replaced below, with a bounded wait
	return 1
}

# put_in_place TMP BIN moves the verified download into place. On Windows a binary
# that runs (another job's step) or is being scanned cannot be replaced: if
# the copy there is the pinned one after all, it is used; otherwise the move is
# retried for at most RELEASE_ACTION_REPLACE_WAIT seconds.
put_in_place() {
	seconds RELEASE_ACTION_REPLACE_WAIT "${RELEASE_ACTION_REPLACE_WAIT:-}" 60
	wait_max=$secs
	waited=0
	while ! mv -f "$1" "$2" 2>"$1.err"; do
		if [ -f "$2" ] && [ "$(sha256_of "$2")" = "$want" ]; then
			echo "release-action $tag: $2 is busy, and already the pinned binary (sha256 $want); using it"
			rm -f "$1" "$1.err"
			return 0
		fi
		if [ "$waited" -ge "$wait_max" ]; then
			fail "cannot replace $2 (busy for ${wait_max}s: $(cat "$1.err")): another job may be running it, or a virus scanner holding it." \
				"Run again, or raise RELEASE_ACTION_REPLACE_WAIT."
		fi
		[ "$waited" != 0 ] || echo "release-action $tag: $2 is busy; retrying for up to ${wait_max}s"
		sleep 1
		waited=$((waited + 1))
	done
	rm -f "$1.err"
}

main() {
	platform
	asset=release-action-$goos-$goarch$ext
	repo=${ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}
	ref=${ACTION_REF:-${GITHUB_ACTION_REF:-}}
	[ -n "${GITHUB_ACTION_PATH:-}" ] || fail "GITHUB_ACTION_PATH is not set; run this script as a step of portable/action.yml"
	[ -n "${GITHUB_OUTPUT:-}" ] || fail "GITHUB_OUTPUT is not set"
	to_unix "$GITHUB_ACTION_PATH"
	action_path=$upath
	to_unix "$GITHUB_OUTPUT"
	output=$upath
	read_list "$action_path/checksums.txt"

	[ -n "${RUNNER_TOOL_CACHE:-}" ] || fail "RUNNER_TOOL_CACHE is not set"
	to_unix "$RUNNER_TOOL_CACHE"
	cache=$upath/release-action/$tag/$goos-$goarch
	bin=$cache/release-action$ext
	if from_cache "$bin"; then
		echo "path=$bin" >>"$output"
		return 0
	fi

	# Only a download needs the repository; a local "uses: ./portable" has none.
	valid_repo "$repo" ||
		fail "github.action_repository is '$repo', not owner/name, so there is no release to download $asset from"
	server=${GITHUB_SERVER_URL:-https://github.com}
	server=${server%/}
	mkdir -p "$cache"
	# A temporary name in the same directory: the rename below is atomic, so a
	# concurrent job never sees a half-written binary under the final name.
	tmp=$(mktemp "$cache/.download.XXXXXX")
	download "$server/$repo/releases/download/$tag/$asset" "$tmp"
	got=$(sha256_of "$tmp")
	if [ "$got" != "$want" ]; then
		fail "the release asset $asset of $repo $tag has sha256 $got, but checksums.txt in the tagged commit pins $want." \
			"The asset was replaced or corrupted after the release; it is not run."
	fi
	chmod 755 "$tmp"
	put_in_place "$tmp" "$bin"
	tmp=''
	echo "release-action $tag: downloaded $asset, sha256 $want verified, cached in $cache"
	echo "path=$bin" >>"$output"
}

# The download's temporary file, removed whatever way the script ends.
tmp=''
trap 'if [ -n "$tmp" ]; then rm -f "$tmp" "$tmp.err"; fi' EXIT
main "$@"
