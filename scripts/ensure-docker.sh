#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info` and that the host has what mk's images and
# tests are made with: installs Debian's packages where they are missing (needs root and
# Debian's package mirror) and starts dockerd in the background. Says what is missing when it
# cannot.
set -euo pipefail

# The engine, the static busybox the node and test images are made of, iptables (nf_tables) and
# conntrack that the node image carries for the proxy's kernel mode, and the host tools the
# end-to-end tests use (redis-cli against a port-forward, tmux for `mk exec -it`, headless
# chromium for `mk dashboard`'s page).
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[ -x /bin/busybox ] || missing+=(busybox-static)
{ [ -x /usr/sbin/xtables-nft-multi ] || [ -x /sbin/xtables-nft-multi ]; } || missing+=(iptables)
{ [ -x /usr/sbin/conntrack ] || [ -x /sbin/conntrack ]; } || missing+=(conntrack)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "mk: missing ${missing[*]} (Debian packages), and this script is not root, so it cannot install them." >&2
    echo "    Run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "mk: installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "mk: no Docker engine answers 'docker info', and this script is not root, so it cannot start one." >&2
  echo "    Start Docker (as root: dockerd &)." >&2
  exit 1
fi

if ! docker info >/dev/null 2>&1; then
  echo "mk: starting dockerd (log: /var/log/dockerd.log)" >&2
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi

if ! docker info >/dev/null 2>&1; then
  echo "mk: dockerd did not come up in 60 s; see /var/log/dockerd.log" >&2
  tail -n 20 /var/log/dockerd.log >&2 || true
  exit 1
fi
