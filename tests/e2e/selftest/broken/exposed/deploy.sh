#!/bin/bash
# deploy.sh up|down - the static site and the proxy in front of it.
# The site image EXPOSEs 80, like the official nginx image.
set -eu
cd "$(dirname "$0")"

case "${1:-}" in
up)
    docker build -q -t unlink-e2e/exposed-site site >/dev/null
    docker build -q -t unlink-e2e/exposed-proxy proxy >/dev/null
    docker run -d --name e2e-exposed-site unlink-e2e/exposed-site
    docker run -d --name e2e-exposed-proxy --link e2e-exposed-site:site \
        -p 127.0.0.1:18087:8080 unlink-e2e/exposed-proxy
    ;;
down)
    docker rm -f e2e-exposed-proxy e2e-exposed-site >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
