#!/usr/bin/env bash
# Placeholder until the CRI branch lands: builds nothing yet.
exit 0
