#!/usr/bin/env bash
# Start-up time and heap of order and inventory with N orders of history (docs/scaling.md,
# "State and start-up"). Usage: tools/bench/startup-state.sh [N,N,...] (default 10000,100000,1000000).
# Builds the service jars and the bench tool (offline), then runs io.hoptrace.bench.StartupState on a
# private Kafka; writes target/startup-state.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="${1:-10000,100000,1000000}"
mvn -o -q package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench.classpath \
  -pl order-verticle,inventory-verticle,tools/bench -am
mkdir -p target
java -Xmx1g -cp "tools/bench/target/classes:$(cat tools/bench/target/bench.classpath)" io.hoptrace.bench.StartupState "$PWD" target/startup-state.md "$sizes"
