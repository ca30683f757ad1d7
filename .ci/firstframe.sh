#!/usr/bin/env bash
# Measures how long `go run .` takes to draw its first full frame in local
# mode, in a tmux terminal (not run by CI). Usage, from the repository root:
#   .ci/firstframe.sh                      # with the current build cache
#   GOCACHE=$(mktemp -d) .ci/firstframe.sh # with an empty build cache
set -euo pipefail
repo=$(pwd)
work=$(mktemp -d)
trap 'tmux kill-session -t fsdeck-ff 2>/dev/null || true; rm -rf "$work"' EXIT
echo hello > "$work/file.txt"
start=$(date +%s.%N)
tmux new-session -d -s fsdeck-ff -x 120 -y 40 \
  "cd '$repo' && GOCACHE='${GOCACHE:-$(go env GOCACHE)}' FSDECK_DATA_DIR='$work/data' FSDECK_CONFIG_DIR='$work/cfg' FSDECK_LOCAL_ADDR=127.0.0.1:0 go run . '$work'; sleep 5"
until tmux capture-pane -p -t fsdeck-ff 2>/dev/null | grep -q "files ·"; do sleep 0.02; done
end=$(date +%s.%N)
echo "first full frame after $(echo "$end - $start" | bc) s"
