#!/bin/sh
sudo docker run -d --name mq rabbitmq:3
sudo -E docker run -d --name consumer --link mq:rabbit consumer:1
