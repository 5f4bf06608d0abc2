# Where the API lives.
PREFIX = "/dev/v1"
