#!/bin/sh
# Start the wiki: the page store, the web front end linked to it, and a metrics
# exporter that nothing links to. Stop everything with ./stop.sh.
set -e
cd "$(dirname "$0")"

docker build -q -t unlink-e2e/split-store store >/dev/null
docker build -q -t unlink-e2e/split-web web >/dev/null
docker build -q -t unlink-e2e/split-metrics metrics >/dev/null

docker network inspect e2e-split-net >/dev/null 2>&1 || docker network create e2e-split-net >/dev/null

# page store (not published)
docker run -d \
    --name e2e-split-store \
    --network e2e-split-net \
    --network-alias pages \
    --restart unless-stopped \
    unlink-e2e/split-store

# web front end; reaches the store as "pages"
docker run -d \
    --name e2e-split-web \
    --network e2e-split-net \
    -p 127.0.0.1:18086:80 \
    unlink-e2e/split-web

# metrics exporter: talks to nobody, nobody talks to it
docker run -d --name e2e-split-metrics unlink-e2e/split-metrics

echo "wiki is up on http://127.0.0.1:18086/"
