#!/bin/bash
set -euo pipefail

NAME=${APP_NAME:-ledger}

docker run -d --name "$NAME-db" postgres:16
docker run -d --name "$NAME" \
  --link "$NAME-db:db" \
  -p 127.0.0.1:9000:9000 \
  ledger:2
