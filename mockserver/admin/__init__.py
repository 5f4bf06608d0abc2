"""The /__admin control plane."""

# Where the admin API lives.
PREFIX = "/__admin"
