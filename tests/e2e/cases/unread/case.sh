# shellcheck shell=bash disable=SC2034
DESCRIPTION="a --link after \$(RUN_OPTS), which unlink cannot expand: its group stays, the other group moves"
PREFIX=e2e-unread
MIGRATE=(Makefile)
UP="make up"
DOWN="make down"
PROBES=(
    "http://127.0.0.1:18097/ E2E-MARKER unread: site"
    "http://127.0.0.1:18098/ E2E-MARKER unread: site"
    "http://127.0.0.1:18099/ E2E-MARKER unread: cache"
)
# The site EXPOSEs 80, so its two legacy links work under icc=false; the
# cache does not, so the worker's link does not.
ORIGINAL=unreachable
REACH=(
    "e2e-unread-api e2e-unread-site 80"
    "e2e-unread-front e2e-unread-site 80"
    "e2e-unread-worker e2e-unread-cache 80"
)
# The worker's group moved to its own network; the site's stayed behind.
ISOLATE=("e2e-unread-worker e2e-unread-site 80")
