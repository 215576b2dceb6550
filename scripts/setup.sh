#!/usr/bin/env bash
# Installs the system packages Nimbus needs, and does nothing when they are there (a few ms).
#
#   scripts/setup.sh server   what `nimbus server` probes at start (npm start runs this first)
#   scripts/setup.sh test     that, plus what the tests use (npm test runs this first)
#
# What is there is decided by the commands and files the server and tests look for, not by
# dpkg, so it also passes on a machine whose tools came from elsewhere. What is missing is
# installed with apt-get when this runs as root on Debian or Ubuntu; otherwise it prints the
# command to run and fails, so `npm start` / `npm test` never go on without the sandbox.
# NIMBUS_SETUP_PACKAGES="pkg:probe ..." replaces the chosen set (for this script's own test).
set -euo pipefail

# package:probe, the probe a command on PATH or an absolute path that must exist. A package
# ending in ? is optional: installed where apt has it, else left out (not every Ubuntu release
# has awscli; the aws CLI tests look for a v2 themselves and skip, saying so, without one).
SERVER=(
  bubblewrap:bwrap                # the sandbox every function runs in
  socat:socat                     # relays each sandbox's Runtime API socket to 127.0.0.1:9001
  util-linux:setpriv              # drops each sandbox to its own uid (as root)
  slirp4netns:slirp4netns         # sandboxes' internet egress (decision 10)
  e2fsprogs:mkfs.ext4             # sandboxes' /tmp on disk (decision 11)
  mount:losetup                   # ...on a loop device
  python3:python3                 # the python3.x runtimes
  ca-certificates:/etc/ssl/certs/ca-certificates.crt  # TLS from functions (Python reads the system store)
)
TEST=(
  "${SERVER[@]}"
  python3:/usr/bin/python3        # the tests' host interpreter (test/support/sandbox/function-spec.ts)
  awscli?:aws                     # the aws CLI v2 tests
  curl:curl                       # the bash + curl `provided` bootstrap test
  autoconf:autoconf automake:automake libtool:libtoolize cmake:cmake make:make g++:g++  # building aws-lambda-ric
)

say() { echo "nimbus setup: $*" >&2; }

case "${1:-}" in
  server) wanted=("${SERVER[@]}") ;;
  test) wanted=("${TEST[@]}") ;;
  *) say "usage: $0 server|test"; exit 2 ;;
esac
if [[ -n "${NIMBUS_SETUP_PACKAGES:-}" ]]; then read -r -a wanted <<<"$NIMBUS_SETUP_PACKAGES"; fi

# mkfs.ext4 and losetup live in sbin, which a user's PATH may leave out.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

present() { if [[ $1 == /* ]]; then [[ -e $1 ]]; else command -v "$1" >/dev/null; fi; }
# apt has a version to install (it knows nothing before the first apt-get update). Not piped
# into grep -q: under pipefail, apt-cache's SIGPIPE would make a yes a no.
available() { command -v apt-cache >/dev/null && [[ $(apt-cache policy "$1" 2>/dev/null) == *'Candidate: '[!\(]* ]]; }

# Fills `missing` (required packages) and `optional` (those apt can install) from `wanted`.
find_missing() {
  missing=() optional=()
  local entry pkg
  for entry in "${wanted[@]}"; do
    pkg=${entry%%:*}
    if present "${entry#*:}"; then continue; fi
    if [[ $pkg == *'?' ]]; then
      if available "${pkg%'?'}"; then optional+=("${pkg%'?'}"); fi
    elif [[ " ${missing[*]} " != *" $pkg "* ]]; then
      missing+=("$pkg")
    fi
  done
}

find_missing
if ((${#missing[@]} + ${#optional[@]} == 0)); then exit 0; fi
packages=("${missing[@]}" "${optional[@]}")

if ! command -v apt-get >/dev/null; then
  say "missing: ${packages[*]} (Debian's names; looked for: ${wanted[*]})"
  say "install them with this system's package manager, then run this again"
  exit 1
fi
if ((EUID != 0)); then
  say "missing: ${packages[*]}"
  say "run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages[*]}"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# A fresh Ubuntu machine is often running unattended-upgrades: wait for its lock, not fail.
apt=(apt-get -o DPkg::Lock::Timeout=300)
say "installing ${packages[*]}"
"${apt[@]}" update -qq
find_missing # an optional package may have become available
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" "${optional[@]}"

find_missing
if ((${#missing[@]} > 0)); then
  say "still missing after apt-get install: ${missing[*]} (looked for: ${wanted[*]})"
  exit 1
fi
