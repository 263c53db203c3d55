#!/bin/sh
# Written for legacy links: the address comes from the injected variables.
while true; do
  echo "GET /" | nc "$STORE_PORT_8080_TCP_ADDR" "${STORE_PORT_8080_TCP_PORT}"
  sleep 5
done
