# shellcheck shell=bash disable=SC2034
DESCRIPTION="split start.sh/stop.sh shell scripts, plus a container nothing links to"
PREFIX=e2e-split
MIGRATE=(start.sh stop.sh)
UP="sh start.sh"
DOWN="sh stop.sh"
PROBES=("http://127.0.0.1:18086/wiki/HomePage E2E-MARKER split: HomePage from the store")
ORIGINAL=unreachable
REACH=("e2e-split-web e2e-split-store 8080")
# metrics never linked with anything.
ISOLATE=(
    "e2e-split-web e2e-split-metrics 9100"
    "e2e-split-metrics e2e-split-store 8080"
    "e2e-split-metrics e2e-split-web 80"
)
