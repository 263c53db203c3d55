# shellcheck shell=bash disable=SC2034
# The flagship case: the Makefile of the seed article (nginx proxy + todos app, the
# nginx config inside the build context proxy/). See docs/e2e.md for the format.
DESCRIPTION="seed article: nginx proxy --link todos app, nginx.conf in the build context"
PREFIX=e2e-seed
MIGRATE=(Makefile)
UP="make run"
DOWN="make kill"
# URL on 127.0.0.1, then the marker the answer must contain.
PROBES=("http://127.0.0.1:18081/todos E2E-MARKER seed: todos reached through nginx")
# The todos image declares no EXPOSE, so under icc=false the link opens no port.
ORIGINAL=unreachable
# FROM TARGET PORT: container FROM must connect to container TARGET after migration.
REACH=("e2e-seed-nginx-secure e2e-seed-todos-secure 8080")
ISOLATE=()
