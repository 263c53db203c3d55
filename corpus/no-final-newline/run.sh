#!/bin/sh
docker run -d --name nf-db postgres:16
docker run -d --name nf --link nf-db:db nf:1
docker rm -f nf nf-db