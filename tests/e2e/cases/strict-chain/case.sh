# shellcheck shell=bash disable=SC2034
DESCRIPTION="three tiers, two links, --isolation strict: edge -> app -> pagedb, edge cannot reach pagedb"
PREFIX=e2e-strict-chain
MIGRATE=(--isolation strict Makefile)
UP="make run"
DOWN="make stop"
# The marker lives in pagedb only, so an answer on the edge proves both links.
PROBES=("http://127.0.0.1:18093/wiki/FrontPage E2E-MARKER strict-chain: FrontPage from the page db via edge and app")
# Neither app nor pagedb EXPOSEs its port, so under icc=false neither link opens.
ORIGINAL=unreachable
REACH=("e2e-strict-chain-edge e2e-strict-chain-app 8000" "e2e-strict-chain-app e2e-strict-chain-pagedb 8080")
# --isolation strict gives each link target its own network, shared only with the
# containers that link it: edge (on app's network) and pagedb (on its own) share
# none. Under the default `component` mode they would (see component-chain).
ISOLATE=(
    "e2e-strict-chain-edge e2e-strict-chain-pagedb 8080"
    "e2e-strict-chain-pagedb e2e-strict-chain-edge 80"
)
