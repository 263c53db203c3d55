#!/bin/sh
# A typo in an option (`--memory-swapiness`): docker would refuse it, and
# unlink cannot tell where the image starts, so the db group stays as it is.
set -e
docker run -d --name db postgres:16
docker run -d --name api --link db:db api:1
docker run -d --memory-swapiness 10 --name report --link db:db report:1
docker run -d --name cache redis:7
docker run -d --name worker --link cache:cache worker:1
