// Package promtest starts real Prometheus, Pushgateway and node_exporter
// servers (Debian's /usr/bin/prometheus, /usr/bin/prometheus-pushgateway and
// /usr/bin/prometheus-node-exporter, installed by
// scripts/setup-prometheus.sh) on free loopback ports for tests, and stops
// them when the test ends. It never uses system services.
//
// A missing binary skips the test, unless the environment variable CI is set,
// in which case the test fails.
//
// Main types: Need (which servers a test wants) and Sample (one scraped
// value). Used by the tests of internal/metrics, jobs and cmd/piimask.
package promtest
