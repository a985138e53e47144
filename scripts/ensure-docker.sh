#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`: installs Debian's docker.io and
# busybox-static when they are missing (needs root and Debian's package mirror) and starts
# dockerd in the background. Says what is missing when it cannot.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "mk: no Docker engine answers 'docker info', and this script is not root, so it cannot install or start one." >&2
  echo "    Start Docker (or run as root: apt-get install -y docker.io busybox-static && dockerd &)." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1 || ! [ -x /bin/busybox ]; then
  echo "mk: installing docker.io and busybox-static from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io busybox-static redis-server redis-tools tmux >/dev/null
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
