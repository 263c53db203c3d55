#!/bin/sh
LINKS="--link db:db"
docker run -d --name db postgres:16
docker run -d --name app $LINKS app:1
ssh deploy@host "docker run -d --link db:db app:1"
