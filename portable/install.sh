#!/usr/bin/env bash
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
# Environment: RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_ACTION_PATH,
# GITHUB_SERVER_URL, GITHUB_OUTPUT (all set by the runner), ACTION_REPOSITORY
# and ACTION_REF (github.action_repository and github.action_ref, passed by
# action.yml: the runner leaves GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF
# empty in a composite action's steps). RELEASE_ACTION_MAX_TIME bounds one
# download attempt, and the time in which retries may start, in seconds
# (default 120).
set -euo pipefail

fail() {
	echo "::error title=release-action/portable::$*"
	exit 1
}

# unix_path turns C:\x\y into /c/x/y in Git Bash on Windows; elsewhere it
# returns its argument.
unix_path() {
	if [[ $1 == *\\* ]] && command -v cygpath >/dev/null 2>&1; then
		cygpath -u "$1"
	else
		printf '%s\n' "$1"
	fi
}

sha256_of() {
	local sum
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

# read_list sets tag and want (the pinned sha256 of asset) from the list.
read_list() {
	local list=$1 line
	[[ -f $list ]] || no_binaries "no checksums.txt in the action's folder"
	tag='' want=''
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%$'\r'}
		if [[ $line =~ ^#\ tag:\ ([0-9A-Za-z._-]+)$ ]]; then
			tag=${BASH_REMATCH[1]}
		elif [[ $line =~ ^([0-9a-f]{64})\ [\ *]?(.+)$ && ${BASH_REMATCH[2]} == "$asset" ]]; then
			want=${BASH_REMATCH[1]}
		fi
	done <"$list"
	[[ -n $tag ]] || no_binaries "checksums.txt names no release tag"
	[[ -n $want ]] || fail "checksums.txt of release $tag pins no binary for $RUNNER_OS $RUNNER_ARCH ($asset)"
}

# curl_args sets args for a bounded download that never sends credentials:
# --disable ignores ~/.curlrc, and no -u, -H or --netrc is ever given.
curl_args() {
	local proto='=https'
	# Plain http only for a loopback server (tests).
	if [[ $server =~ ^http://(127\.0\.0\.1|\[::1\]|localhost)(:[0-9]+)?$ ]]; then
		proto='=http,https'
	fi
	# One attempt takes at most max seconds, and no retry starts after max
	# seconds, so the whole download ends within about twice that.
	local max=${RELEASE_ACTION_MAX_TIME:-120}
	[[ $max =~ ^[1-9][0-9]*$ ]] || fail "RELEASE_ACTION_MAX_TIME is '$max', not a number of seconds"
	args=(--disable --fail --silent --show-error --location
		--proto "$proto" --proto-redir "$proto"
		--connect-timeout 30 --max-time "$max"
		--retry 3 --retry-delay 2 --retry-max-time "$max")
}

download() {
	local url=$1 out=$2 code rc=0
	curl_args
	code=$(curl "${args[@]}" --write-out '%{http_code}' --output "$out" "$url") || rc=$?
	if [[ $rc == 0 ]]; then
		return 0
	fi
	if [[ $code == 404 ]]; then
		fail "release $tag of $repo has no asset $asset ($url answered 404); the release is incomplete, re-run its release workflow"
	fi
	fail "download of $url failed (curl exit code $rc, HTTP status ${code:-none})"
}

# from_cache succeeds when the cached binary's hash is the pinned one, and
# removes a cached copy that no longer matches.
from_cache() {
	local bin=$1 got
	[[ -f $bin ]] || return 1
	got=$(sha256_of "$bin")
	if [[ $got == "$want" ]]; then
		echo "release-action $tag: using $bin from the tool cache (sha256 $want)"
		return 0
	fi
	echo "::warning title=release-action/portable::$bin in the tool cache has sha256 $got, not the pinned $want; downloading it again"
	rm -f "$bin"
	return 1
}

main() {
	local goos goarch ext asset tag want repo ref server cache bin got
	platform
	asset=release-action-$goos-$goarch$ext
	repo=${ACTION_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-}}
	ref=${ACTION_REF:-${GITHUB_ACTION_REF:-}}
	[[ -n ${GITHUB_ACTION_PATH:-} ]] || fail "GITHUB_ACTION_PATH is not set; run this script as a step of portable/action.yml"
	read_list "$(unix_path "$GITHUB_ACTION_PATH")/checksums.txt"

	[[ -n ${RUNNER_TOOL_CACHE:-} ]] || fail "RUNNER_TOOL_CACHE is not set"
	cache=$(unix_path "$RUNNER_TOOL_CACHE")/release-action/$tag/$goos-$goarch
	bin=$cache/release-action$ext
	if from_cache "$bin"; then
		echo "path=$bin" >>"$GITHUB_OUTPUT"
		return 0
	fi

	# Only a download needs the repository; a local "uses: ./portable" has none.
	[[ $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] ||
		fail "github.action_repository is '$repo', not owner/name, so there is no release to download $asset from"
	server=${GITHUB_SERVER_URL:-https://github.com}
	server=${server%/}
	mkdir -p "$cache"
	# A temporary name in the same directory: the rename below is atomic, so a
	# concurrent job never sees a half-written binary under the final name.
	tmp=$(mktemp "$cache/.download.XXXXXX")
	download "$server/$repo/releases/download/$tag/$asset" "$tmp"
	got=$(sha256_of "$tmp")
	if [[ $got != "$want" ]]; then
		fail "the release asset $asset of $repo $tag has sha256 $got, but checksums.txt in the tagged commit pins $want." \
			"The asset was replaced or corrupted after the release; it is not run."
	fi
	chmod 755 "$tmp"
	mv -f "$tmp" "$bin"
	echo "release-action $tag: downloaded $asset, sha256 $want verified, cached in $cache"
	echo "path=$bin" >>"$GITHUB_OUTPUT"
}

# The download's temporary file, removed whatever way the script ends.
tmp=''
trap 'if [[ -n $tmp ]]; then rm -f "$tmp"; fi' EXIT
main "$@"
