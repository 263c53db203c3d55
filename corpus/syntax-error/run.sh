#!/bin/sh
docker run -d --name se-db postgres:16
docker run -d --name se --link se-db:db "se:1
