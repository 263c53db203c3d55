#!/bin/sh
# Stop and remove what ./start.sh started.
docker stop e2e-split-web e2e-split-store e2e-split-metrics >/dev/null 2>&1 || :
docker rm e2e-split-web 2>/dev/null || :
docker rm e2e-split-store 2>/dev/null || :
docker rm e2e-split-metrics 2>/dev/null || :
