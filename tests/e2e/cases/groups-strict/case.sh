# shellcheck shell=bash disable=SC2034
DESCRIPTION="two unrelated groups (web -> db, web -> files each), --isolation strict"
PREFIX=e2e-groups-strict
MIGRATE=(--isolation strict Makefile)
UP="make up"
DOWN="make down"
# Each front end must reach its own database and file store, not the other group's.
PROBES=(
    "http://127.0.0.1:18095/whoami E2E-MARKER groups-strict: db of tenant blue"
    "http://127.0.0.1:18095/files/logo.txt E2E-MARKER groups-strict: files of tenant blue"
    "http://127.0.0.1:18096/whoami E2E-MARKER groups-strict: db of tenant green"
    "http://127.0.0.1:18096/files/logo.txt E2E-MARKER groups-strict: files of tenant green"
)
# No image EXPOSEs its port, so under icc=false no link opens.
ORIGINAL=unreachable
REACH=(
    "e2e-groups-strict-blue-web e2e-groups-strict-blue-db 8080"
    "e2e-groups-strict-blue-web e2e-groups-strict-blue-files 8080"
    "e2e-groups-strict-green-web e2e-groups-strict-green-db 8080"
    "e2e-groups-strict-green-web e2e-groups-strict-green-files 8080"
)
# The groups never linked to each other. Within a group, db and files never
# linked either: strict gives each target its own network, shared only with the
# web front end that links it, so db and files share none (under `component`
# the whole group would be one network).
ISOLATE=(
    "e2e-groups-strict-blue-web e2e-groups-strict-green-db 8080"
    "e2e-groups-strict-green-web e2e-groups-strict-blue-files 8080"
    "e2e-groups-strict-blue-db e2e-groups-strict-green-db 8080"
    "e2e-groups-strict-blue-web e2e-groups-strict-green-web 80"
    "e2e-groups-strict-blue-db e2e-groups-strict-blue-files 8080"
    "e2e-groups-strict-green-files e2e-groups-strict-green-db 8080"
)
