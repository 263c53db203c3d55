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
REACH=("e2e-chain-front app 8000" "e2e-chain-app db 8080")
# front and db never linked: under icc=false they could not talk; after the
# migration they still must not.
ISOLATE=("e2e-chain-front e2e-chain-db 8080" "e2e-chain-db e2e-chain-front 80")
