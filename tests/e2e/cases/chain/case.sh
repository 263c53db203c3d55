# shellcheck shell=bash disable=SC2034
DESCRIPTION="three tiers, two links: front nginx -> app nginx -> db"
PREFIX=e2e-chain
MIGRATE=(Makefile)
UP="make start"
DOWN="make stop"
# The marker lives in db only, so an answer on the front proves both links.
PROBES=("http://127.0.0.1:18083/api/orders E2E-MARKER chain: db row reached via front and app")
# db EXPOSEs 8080, so app -> db works under icc=false; app has no EXPOSE, so
# front -> app does not, and the request fails.
ORIGINAL=unreachable
REACH=("e2e-chain-front e2e-chain-app 8000" "e2e-chain-app e2e-chain-db 8080")
# The three form one linked group, so the default migration (one network per
# group, `--isolation component`) lets front and db see each other; a case for
# `--isolation strict` (front must not reach db) belongs to the isolation-modes issue.
ISOLATE=()
