#!/usr/bin/env bash
# Installs what the tests and the network lab need on a fresh Debian machine (as root):
# iptables, ipset, iproute2. Safe to run again; does nothing when all are present.
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
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
