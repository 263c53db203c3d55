# shellcheck shell=bash disable=SC2034
DESCRIPTION="make variables for names, image and port; every docker call through \$(DOCKER)"
PREFIX=e2e-vars
MIGRATE=(Makefile)
UP="make up"
DOWN="make down"
PROBES=("http://127.0.0.1:18082/api/latest E2E-MARKER vars: report 2024-Q1")
ORIGINAL=unreachable
REACH=("e2e-vars-web e2e-vars-db 8080")
ISOLATE=()
