#!/bin/sh
set -e
docker run -itd --name db postgres:16
docker run -dp 8080:80 --name web --link db:database -e MODE=prod web:1
