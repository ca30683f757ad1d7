#!/usr/bin/env bash
# Real-terminal checks of how fsdeck leaves the terminal, in a private tmux
# server with fixed-size panes: without a terminal it says so, exits
# non-zero and leaves the screen alone; after SIGTERM and SIGHUP the pane
# is back at the shell on the primary screen, cursor shown, mouse off.
# FSDECK_BIN runs a prebuilt binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
sock="fsdeck-exits-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${FSDECK_BIN:-$work/fsdeck}
[ -n "${FSDECK_BIN:-}" ] || go build -o "$bin" .

# The server (and so each pane's shell) inherits this environment: temp
# data, no API key (local mode on a free port), a plain prompt.
export FSDECK_DATA_DIR="$work/data" FSDECK_CONFIG_DIR="$work/cfg" XDG_DATA_HOME="$work/xdg" \
  XDG_CONFIG_HOME="$work/xdg" HOME="$work" TERM=xterm-256color PS1='$ '
# No session bus: an unset address makes D-Bus clients autolaunch a
# dbus-daemon (dbus-launch) that outlives the run.
export DBUS_SESSION_BUS_ADDRESS=disabled:
unset FILESTACK_API_KEY FILESTACK_APP_SECRET TMUX
args="--local --addr 127.0.0.1:0"
fail=0

modes() { T display -p -t "$1" '#{alternate_on} #{cursor_flag} #{mouse_any_flag}'; }
# poll CMD... for up to 20 s
poll() { for _ in $(seq 200); do "$@" && return 0; sleep 0.1; done; return 1; }
# The shell may print its prompt after the typed-ahead command line, so
# rc= can follow a prompt on its line ("# rc=0"); the command line itself
# holds rc=$?, never rc= and a digit.
exited() { T capture-pane -p -t "$1" | grep -q 'rc=[0-9]'; }
running() { [ "$(modes "$1")" = "1 0 1" ]; }

# scenario NAME COMMAND SIGNAL WANT_RC TEXT: run COMMAND in a fresh pane
# (its pid in $work/pid), send SIGNAL once the interface is up (unless
# "-"), then check the exit status (nonzero|any), the modes and the text.
scenario() {
  local name=$1 cmd=$2 sig=$3 want=$4 text=$5 s="s$RANDOM" bad=0
  rm -f "$work/pid"
  T new-session -d -s "$s" -x 100 -y 30 sh
  T send-keys -t "$s" "sh -c 'echo \$\$ >$work/pid; exec $cmd'; echo rc=\$?" Enter
  if [ "$sig" != - ]; then
    if poll running "$s"; then
      sleep 1 # let it draw its first frame
      kill -s "$sig" "$(cat "$work/pid")"
    else
      echo "FAIL $name: the interface did not start ($(modes "$s"))"; bad=1
    fi
  fi
  if ! poll exited "$s"; then
    echo "FAIL $name: fsdeck did not exit"; bad=1
    kill -s KILL "$(cat "$work/pid")" 2>/dev/null || true
    poll exited "$s" || true
  fi
  local screen m rc
  screen=$(T capture-pane -p -t "$s")
  m=$(modes "$s")
  rc=$(printf '%s\n' "$screen" | sed -n 's/.*rc=\([0-9][0-9]*\).*/\1/p' | tail -1)
  [ "$m" = "0 1 0" ] || { echo "FAIL $name: alternate/cursor/mouse = $m, want 0 1 0"; bad=1; }
  if [ "$want" = nonzero ] && [ "$rc" = 0 ]; then echo "FAIL $name: exit status 0"; bad=1; fi
  if [ -n "$text" ] && ! printf '%s\n' "$screen" | grep -q -- "$text"; then
    echo "FAIL $name: the screen lacks \"$text\""; bad=1
  fi
  [ $bad -eq 0 ] && echo "ok   $name (exit $rc, alternate/cursor/mouse $m)" || { printf '%s\n' "$screen"; fail=1; }
  T kill-session -t "$s"
}

scenario "stdin not a terminal" "$bin $args </dev/null" - nonzero "needs a terminal"
scenario "stdout not a terminal" "$bin $args >$work/out" - nonzero "needs a terminal"
if [ -s "$work/out" ]; then echo "FAIL stdout not a terminal: $(wc -c <"$work/out") bytes written to it"; fail=1; fi
scenario "SIGTERM" "$bin $args" TERM any ""
scenario "SIGHUP" "$bin $args" HUP any ""
exit $fail
