#!/bin/bash
NAME=${APP_NAME:-ledger}

docker stop "$NAME" "$NAME-db" || true
docker rm "$NAME" "$NAME-db" || true
