#!/bin/sh
# Recorded part of link-addr-dump (the namespace is set up by make-captures.sh).
ip link show
ip addr show
exit 0
