package io.hoptrace.stack;

import io.hoptrace.kafka.Topics;
import io.hoptrace.kafka.replay.ReplayRange;
import io.hoptrace.kafka.replay.ReplayTime;
import io.hoptrace.kafka.replay.TopicReplayer;
import io.hoptrace.config.Env;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./stack replay <topic> --from <time|earliest> [--to <time>] [--wait <duration> | --no-wait]}:
 * re-delivers a range of a topic to its consumers (see {@link TopicReplayer}) and waits until they
 * have processed it.
 */
final class ReplayCommand {
  static final String USAGE = "usage: ./stack replay <topic> --from <time|earliest> [--to <time>] [--wait <duration> | --no-wait]\n"
      + "  topics: " + String.join(", ", Topics.replayable()) + "\n"
      + "  times:  earliest, 2026-11-25T12:00:00Z, 2026-11-25T12:00 (local), 2026-11-25, epoch millis, or an age: 15m, 2h, 7d";

  private final StackConfig config;
  private final Console console;

  ReplayCommand(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  int run(List<String> args) {
    String topic = null;
    String from = null;
    String to = null;
    Duration wait = Duration.ofMinutes(5);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--from" -> from = value(args, ++i, a);
        case "--to" -> to = value(args, ++i, a);
        case "--wait" -> wait = duration(value(args, ++i, a));
        case "--no-wait" -> wait = Duration.ZERO;
        case "-v", "--verbose" -> { }
        default -> {
          if (a.startsWith("-") || topic != null) {
            throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
          }
          topic = a;
        }
      }
    }
    if (topic == null || from == null) {
      throw new IllegalArgumentException((topic == null ? "which topic?" : "--from is required (use --from earliest for all)") + "\n" + USAGE);
    }
    if (!Topics.replayable().contains(topic)) {
      throw new IllegalArgumentException("'" + topic + "' is not a replayable topic; replayable: " + String.join(", ", Topics.replayable()));
    }
    Clock clock = Clock.systemDefaultZone();
    Optional<Instant> fromTime = ReplayTime.parse(from, clock);
    Optional<Instant> toTime = to == null ? Optional.empty() : ReplayTime.parse(to, clock);
    if (toTime.isPresent() && to.equalsIgnoreCase("earliest")) {
      throw new IllegalArgumentException("--to earliest would replay nothing");
    }
    ReplayRange range = new ReplayRange(topic, fromTime, toTime);

    requireReachable(config.kafkaBootstrapServers());
    TopicReplayer replayer = new TopicReplayer(config.kafkaBootstrapServers());
    ProgressBar bar = ProgressBar.forConsole(console);
    TopicReplayer.Plan plan = replayer.plan(range);
    console.step("replaying " + range + ": " + plan.records() + " records in " + plan.offsets().size() + " partitions");
    if (plan.records() == 0) {
      console.line("nothing to replay in that range");
      return 0;
    }
    TopicReplayer.Result result = replayer.replay(plan, bar::update);
    bar.finishLine();
    console.line("re-delivered " + result.records() + " records (replay id " + result.replayId() + ")");
    if (wait.isZero()) {
      return 0;
    }
    List<String> behind = replayer.awaitConsumers(result, topic, wait, bar::update);
    bar.finishLine();
    if (!behind.isEmpty()) {
      console.error("after " + wait.toSeconds() + " s, consumer group(s) " + behind + " have not processed the replay yet; "
          + "is the service that consumes " + topic + " running (./stack status)?");
      return 1;
    }
    console.line("processed by every consumer group of " + topic);
    return 0;
  }

  private static void requireReachable(String bootstrap) {
    try (org.apache.kafka.clients.admin.Admin admin = io.hoptrace.kafka.TopicSetup.admin(bootstrap)) {
      admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().timeoutMs(5_000))
          .nodes().get(6, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka at " + bootstrap + " is not reachable; is the stack running? (./stack status, ./stack start)");
    }
  }

  private static String value(List<String> args, int i, String flag) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args.get(i);
  }

  private static Duration duration(String s) {
    try {
      return Env.parseDuration(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--wait " + s + ": " + e.getMessage());
    }
  }
}
