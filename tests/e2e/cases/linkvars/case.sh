# shellcheck shell=bash disable=SC2034
DESCRIPTION="a stock busybox image with a bind-mounted script that reads STORE_PORT_8080_TCP_ADDR/_PORT"
PREFIX=e2e-linkvars
MIGRATE=(Makefile)
UP="make up"
DOWN="make down"
# The marker lives in the store only; the shop's CGI fetches it with nc from
# $STORE_PORT_8080_TCP_ADDR:$STORE_PORT_8080_TCP_PORT on every request.
PROBES=("http://127.0.0.1:18090/cgi-bin/stock E2E-MARKER linkvars: stock list from the store")
# Docker 20.10 still injects the link variables, and the store EXPOSEs 8080.
ORIGINAL=reachable
ORIGINAL_WHY="the store EXPOSEs 8080, so icc=false lets the legacy link reach it, and Docker 20.10 still sets STORE_PORT_8080_TCP_ADDR/_PORT (Docker 29 would not: then only the migration's -e flags make it work)"
REACH=("e2e-linkvars-shop e2e-linkvars-store 8080")
ISOLATE=()
