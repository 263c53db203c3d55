# shellcheck shell=bash disable=SC2034
DESCRIPTION="docker-compose version 2.1: aliased link api:backend next to depends_on with a condition"
PREFIX=e2e-compose-v2
MIGRATE=(docker-compose.yml)
UP="docker-compose -p e2e-composev2 up -d --build"
DOWN="docker-compose -p e2e-composev2 down"
# The marker lives in the api only.
PROBES=("http://127.0.0.1:18091/api/products E2E-MARKER compose-v2: products from the api")
ORIGINAL=reachable
ORIGINAL_WHY="a version 2 file puts every service on the project network e2e-composev2_default, a user-defined network that icc=false does not touch; the link only adds the alias backend"
REACH=("e2e-compose-v2-web e2e-compose-v2-api 8080")
ISOLATE=()
