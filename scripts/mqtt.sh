#!/usr/bin/env bash
# The MQTT broker of the machine signals: Debian's mosquitto, loopback only, with its own
# configuration, persistence and log under .local/mqtt/<name>/ (nothing of /etc/mosquitto).
#   bash scripts/mqtt.sh start|stop|status [name] [port]
# name: "run" (make run, port 1883) or "test" (make test, port 1884), or any other (tests own).
# A broker named by settings (MQTT_HOST set, with MQTT_PORT, MQTT_USERNAME, MQTT_PASSWORD) is
# used as it is: nothing is started or stopped here.
source "$(dirname "$0")/common.sh"
action=${1:-status}
name=${2:-run}
default_port=1883; [ "$name" = test ] && default_port=1884
port=${3:-${MQTT_PORT:-$default_port}}
dir=$LOCAL/mqtt/$name
pidfile=$dir/mosquitto.pid
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}

if [ -n "${MQTT_HOST:-}" ]; then
  [ "$action" = start ] && say "MQTT: using the broker named by settings, $MQTT_HOST:${MQTT_PORT:-1883}"
  exit 0
fi

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$action" in
  start)
    [ -x "$MOSQUITTO" ] || die "mosquitto is not installed (as root: apt-get install mosquitto, or make setup)"
    if running; then exit 0; fi
    # MQTT_FRESH=1: start empty (a test suite's broker: no session left by an earlier run)
    [ "${MQTT_FRESH:-0}" = 1 ] && rm -rf "$dir/data"
    mkdir -p "$dir/data"
    # Persistence keeps the bridge's session (its subscriptions and the QoS 1 messages it has not
    # acknowledged yet) across a broker restart; it is written at every change, so a restart
    # loses nothing the broker acknowledged to a publisher.
    cat > "$dir/mosquitto.conf" <<CFG
# written by scripts/mqtt.sh; changes are overwritten at the next start
listener $port 127.0.0.1
allow_anonymous true
user $(id -un)
pid_file $pidfile
persistence true
persistence_location $dir/data/
autosave_interval 0
autosave_on_changes true
log_dest file $LOGS/mosquitto-$name.log
log_type error
log_type warning
log_type notice
connection_messages false
# a persistent session keeps everything while its bridge is away (0: no limit)
max_queued_messages 0
max_queued_bytes 0
# the bridge acknowledges a machine's batch once recorded: let many QoS 1 messages be in flight
# to it, so that each machine's request can carry up to 500 events
max_inflight_messages 20000
CFG
    "$MOSQUITTO" -c "$dir/mosquitto.conf" -d || die "mosquitto did not start; see $LOGS/mosquitto-$name.log"
    for _ in $(seq 1 50); do
      (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && { say "MQTT broker (mosquitto) on 127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    die "mosquitto is not listening on 127.0.0.1:$port; see $LOGS/mosquitto-$name.log"
    ;;
  stop)
    if running; then
      pid=$(cat "$pidfile")
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
    ;;
  status)
    if running; then echo "mosquitto $name running (pid $(cat "$pidfile"), port $port)"; else echo "mosquitto $name stopped"; exit 1; fi
    ;;
  *) die "usage: scripts/mqtt.sh start|stop|status [name] [port]" ;;
esac
