# shellcheck shell=bash disable=SC2034
DESCRIPTION="the strict-chain tiers with the default --isolation component: one network, edge can reach pagedb"
PREFIX=e2e-component-chain
# No --isolation: the default, `component`.
MIGRATE=(Makefile)
UP="make run"
DOWN="make stop"
# The marker lives in pagedb only, so an answer on the edge proves both links.
PROBES=("http://127.0.0.1:18094/wiki/FrontPage E2E-MARKER component-chain: FrontPage from the page db via edge and app")
# Neither app nor pagedb EXPOSEs its port, so under icc=false neither link opens.
ORIGINAL=unreachable
# The two links, and a third entry that is no link: the three containers form one
# linked group, and `component` puts a group on one network, so edge reaches
# pagedb directly. This is what strict-chain's ISOLATE rules out.
REACH=(
    "e2e-component-chain-edge e2e-component-chain-app 8000"
    "e2e-component-chain-app e2e-component-chain-pagedb 8080"
    "e2e-component-chain-edge e2e-component-chain-pagedb 8080"
)
ISOLATE=()
