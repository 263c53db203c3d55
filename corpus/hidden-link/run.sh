#!/bin/sh
LINKS="--link db:db"
docker run -d --name db postgres:16
docker run -d --name app $LINKS app:1
ssh deploy@host "docker run -d --link db:db app:1"
# Another shell runs a here-document, maybe on another engine: reported, not edited.
ssh deploy@host <<EOF
  docker rm -f app
  docker run -d --name app --link db:db app:1
  # docker run --link x:y (a comment: not reported)
EOF
cat <<'NOTE'
--link is deprecated (no docker command here: not reported)
NOTE
