# shellcheck shell=bash disable=SC2034
DESCRIPTION="docker-compose version 1 (services at the top level, default bridge), aliased link api:backend"
PREFIX=e2e-compose-v1
MIGRATE=(docker-compose.yml)
UP="docker-compose -p e2e-composev1 up -d --build"
DOWN="docker-compose -p e2e-composev1 down"
# The marker lives in the api only.
PROBES=("http://127.0.0.1:18092/api/products E2E-MARKER compose-v1: products from the api")
# A version 1 file runs on the default bridge with legacy links; the api image
# has no EXPOSE, so under icc=false the link opens nothing.
ORIGINAL=unreachable
REACH=("e2e-compose-v1-web e2e-compose-v1-api 8080")
ISOLATE=()
