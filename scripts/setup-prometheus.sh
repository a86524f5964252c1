#!/usr/bin/env bash
# setup-prometheus.sh — installs what the metrics tests need: Prometheus (with
# promtool), the Pushgateway and node_exporter (its textfile collector reads
# piimask's .prom files) from Debian's packages. The tests start their
# own instances on free loopback ports; the system services the packages
# enable are stopped and disabled where systemd runs, so nothing listens on the
# default ports behind the tests' back. Idempotent; quiet when installed.
set -euo pipefail
need=()
[ -x /usr/bin/prometheus ] || need+=(prometheus)
[ -x /usr/bin/promtool ] || need+=(prometheus)
[ -x /usr/bin/prometheus-pushgateway ] || need+=(prometheus-pushgateway)
[ -x /usr/bin/prometheus-node-exporter ] || need+=(prometheus-node-exporter)
if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "setup-prometheus: installing $(printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' ')(Debian)" >&2
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2046
$SUDO apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	$SUDO systemctl disable --now prometheus prometheus-pushgateway prometheus-node-exporter >/dev/null 2>&1 || true
fi
