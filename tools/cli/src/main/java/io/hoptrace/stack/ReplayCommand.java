package io.hoptrace.stack;

import io.hoptrace.config.Env;
import io.hoptrace.kafka.KafkaClientSecurity;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.kafka.replay.ReplayRange;
import io.hoptrace.kafka.replay.ReplayTime;
import io.hoptrace.kafka.replay.TopicReplayer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./stack replay}: re-delivers a range of a topic to its consumers (see {@link TopicReplayer})
 * and waits until they have processed it.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, header = "Re-deliver a range of a topic to its consumers; wait until they processed it.",
    footer = {"", "Times: earliest, 2026-11-25T12:00:00Z, 2026-11-25T12:00 (local), 2026-11-25, epoch millis, or an age: 15m, 2h, 7d.",
        "A .dlq topic sends each record back to the topic and partition it came from",
        "(--from defaults to earliest); rows already stored are not stored again."})
final class ReplayCommand implements Callable<Integer> {
  @ParentCommand
  StackCommand root;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "<topic>", description = "One of: ${COMPLETION-CANDIDATES}.", completionCandidates = Replayable.class)
  String topic;

  @Option(names = "--from", paramLabel = "TIME", description = "Where the range starts (required, earliest for all; for a .dlq topic: earliest).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Where it ends (default: now).")
  String to;

  @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m", description = "How long to wait for the consumers (default: ${DEFAULT-VALUE}).")
  String wait;

  @Option(names = "--no-wait", description = "Return once re-delivered.")
  boolean noWait;

  /** The topics a replay may re-deliver (the usage lists them). */
  static final class Replayable implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Topics.replayable().iterator();
    }
  }

  @Override
  public Integer call() {
    Optional<String> origin = Topics.deadLetterOrigin(topic);
    if (from == null && origin.isPresent()) {
      from = "earliest";
    }
    if (from == null) {
      throw usage("--from is required (use --from earliest for all)");
    }
    if (!Topics.replayable().contains(topic)) {
      throw usage("'" + topic + "' is not a replayable topic; replayable: " + String.join(", ", Topics.replayable()));
    }
    Duration waitFor;
    try {
      waitFor = noWait ? Duration.ZERO : Env.parseDuration(wait);
    } catch (IllegalArgumentException e) {
      throw usage("--wait " + wait + ": " + e.getMessage());
    }
    Clock clock = Clock.systemDefaultZone();
    ReplayRange range;
    try {
      Optional<Instant> fromTime = ReplayTime.parse(from, clock);
      Optional<Instant> toTime = to == null ? Optional.empty() : ReplayTime.parse(to, clock);
      if (toTime.isPresent() && to.equalsIgnoreCase("earliest")) {
        throw new IllegalArgumentException("--to earliest would replay nothing");
      }
      range = new ReplayRange(topic, fromTime, toTime);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }

    Console console = root.console();
    String bootstrap = root.config().kafkaBootstrapServers();
    // TLS / SASL as the stack's processes reach Kafka (HOPTRACE_KAFKA_*)
    KafkaClientSecurity security = KafkaClientSecurity.fromEnv(root.config().env());
    requireReachable(bootstrap, security);
    TopicReplayer replayer = new TopicReplayer(bootstrap, security);
    ProgressBar bar = ProgressBar.forConsole(console);
    TopicReplayer.Plan plan = replayer.plan(range);
    console.step("replaying " + range + ": " + plan.records() + " records in " + plan.offsets().size() + " partitions");
    if (plan.records() == 0) {
      console.line("nothing to replay in that range");
      return 0;
    }
    TopicReplayer.Result result = origin.isPresent()
        ? replayer.replayDeadLetters(plan, origin.get(), bar::update)
        : replayer.replay(plan, bar::update);
    bar.finishLine();
    console.line("re-delivered " + result.records() + " records" + origin.map(o -> " to " + o).orElse("")
        + " (replay id " + result.replayId() + ")");
    if (waitFor.isZero()) {
      return 0;
    }
    String consumed = origin.orElse(topic);
    List<String> behind = replayer.awaitConsumers(result, consumed, waitFor, bar::update);
    bar.finishLine();
    if (!behind.isEmpty()) {
      console.error("after " + waitFor.toSeconds() + " s, consumer group(s) " + behind + " have not processed the replay yet; "
          + "is the service that consumes " + consumed + " running (./stack status)?");
      return 1;
    }
    console.line("processed by every consumer group of " + consumed);
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static void requireReachable(String bootstrap, KafkaClientSecurity security) {
    try (Admin admin = TopicSetup.admin(bootstrap, security)) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get(6, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka at " + bootstrap + " is not reachable; is the stack running? (./stack status, ./stack start)");
    }
  }
}
