import os
print(os.environ["AMQP_URL"])
