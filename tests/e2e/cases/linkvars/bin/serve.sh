#!/bin/sh
# serve.sh - the shop front end: busybox httpd on :8000, with one CGI,
# /cgi-bin/stock, that fetches the current stock list from the stock service.
#
# The stock service is found through the link variables, e.g. for
# `--link e2e-linkvars-store:store` with the store exposing 8080:
#   STORE_PORT_8080_TCP_ADDR=172.17.0.2  STORE_PORT_8080_TCP_PORT=8080
#
# httpd runs this same script as the CGI (GATEWAY_INTERFACE is set then).

if [ -n "${GATEWAY_INTERFACE:-}" ]; then
    printf 'Content-Type: text/plain\r\n\r\n'
    # one HTTP/1.0 request; drop the store's status line and headers
    printf 'GET /stock HTTP/1.0\r\n\r\n' |
        nc -w 3 "$STORE_PORT_8080_TCP_ADDR" "$STORE_PORT_8080_TCP_PORT" |
        tr -d '\r' | sed '1,/^$/d'
    exit 0
fi

if [ -z "${STORE_PORT_8080_TCP_ADDR:-}" ]; then
    echo "serve.sh: STORE_PORT_8080_TCP_ADDR is not set (is the store linked as 'store'?)" >&2
    exit 1
fi
echo "serve.sh: stock service at $STORE_PORT_8080_TCP_ADDR:${STORE_PORT_8080_TCP_PORT}"

mkdir -p /tmp/www/cgi-bin
ln -sf /opt/bin/serve.sh /tmp/www/cgi-bin/stock
exec httpd -f -p 8000 -h /tmp/www
