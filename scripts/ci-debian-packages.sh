#!/usr/bin/env bash
# The Debian programs the tests run for real: installed when missing (CI runs as root or with sudo).
set -euo pipefail
packages=()
command -v logrotate >/dev/null || packages+=(logrotate)
command -v promtool >/dev/null || packages+=(prometheus)
command -v prometheus-node-exporter >/dev/null || packages+=(prometheus-node-exporter)
# A strict OpenMetrics parser for --format openmetrics (Debian's python3, not one on PATH from elsewhere).
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || packages+=(python3-prometheus-client)
[ ${#packages[@]} -eq 0 ] && exit 0
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
# The packages' maintainer scripts would start the services: the tests run the binaries themselves.
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
