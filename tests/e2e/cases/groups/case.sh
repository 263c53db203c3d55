# shellcheck shell=bash disable=SC2034
DESCRIPTION="two unrelated groups, each consumer links its own target under the same alias db"
PREFIX=e2e-groups
MIGRATE=(Makefile)
UP="make up"
DOWN="make down"
# Each front end must reach its own database, not the other group's.
PROBES=(
    "http://127.0.0.1:18084/whoami E2E-MARKER groups: tenant blue"
    "http://127.0.0.1:18085/whoami E2E-MARKER groups: tenant green"
)
ORIGINAL=unreachable
REACH=("e2e-groups-blue-web e2e-groups-blue-db 8080" "e2e-groups-green-web e2e-groups-green-db 8080")
# The groups never linked to each other.
ISOLATE=(
    "e2e-groups-blue-web e2e-groups-green-db 8080"
    "e2e-groups-green-web e2e-groups-blue-db 8080"
    "e2e-groups-blue-db e2e-groups-green-db 8080"
    "e2e-groups-blue-web e2e-groups-green-web 80"
)
