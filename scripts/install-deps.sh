#!/usr/bin/env bash
# Installs what the tests and the network lab need on a fresh Debian machine (as root):
# iptables, ipset, iproute2. Safe to run again; does nothing when all are present. Quiet unless
# something is installed or fails (then apt's output is shown).
set -euo pipefail
missing=()
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v ipset >/dev/null 2>&1 || missing+=(ipset)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: need root to install ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps: apt-get failed" >&2
    exit 1
  fi
fi
