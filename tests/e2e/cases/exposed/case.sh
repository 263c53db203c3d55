# shellcheck shell=bash disable=SC2034
DESCRIPTION="one bash script with up|down; the target EXPOSEs its port (seed 002)"
PREFIX=e2e-exposed
MIGRATE=(deploy.sh)
UP="./deploy.sh up"
DOWN="./deploy.sh down"
PROBES=("http://127.0.0.1:18087/ E2E-MARKER exposed: static site")
# The original works under icc=false: for a legacy link Docker opens the target's
# EXPOSEd ports to the consumer (seed 002; docker-semantics.md, Firewall / ICC).
ORIGINAL=reachable
ORIGINAL_WHY="site EXPOSEs 80, and icc=false still lets a legacy link reach exposed ports"
REACH=("e2e-exposed-proxy e2e-exposed-site 80")
ISOLATE=()
