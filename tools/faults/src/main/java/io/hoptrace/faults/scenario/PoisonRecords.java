package io.hoptrace.faults.scenario;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.faults.probe.KafkaOffsets;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.otlp.SpanFactory;
import io.hoptrace.load.otlp.SpanLedger;
import io.hoptrace.load.otlp.TelemetryLoad;
import io.hoptrace.load.otlp.TelemetryRequests;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records that can never be decoded, written straight into every partition of every telemetry topic
 * (as a foreign or broken producer would), each followed by good records on the same partition, under
 * telemetry load: each poison lands in its topic's {@code .dlq} with the reason and its origin, and
 * every good record is stored.
 */
public final class PoisonRecords implements Scenario {
  private static final String[] TOPICS = {Topics.OTLP_SPANS, Topics.OTLP_METRICS, Topics.OTLP_LOGS};
  private static final Map<String, String> GROUPS = Map.of(Topics.OTLP_SPANS, "hoptrace-ingester-traces",
      Topics.OTLP_METRICS, "hoptrace-ingester-metrics", Topics.OTLP_LOGS, "hoptrace-ingester-logs");

  /** Where a poison record was written. */
  private record Poison(String topic, int partition, long offset) {}

  @Override
  public String name() {
    return "poison";
  }

  @Override
  public String title() {
    return "poison records on every partition of otlp_spans, otlp_metrics, otlp_logs under load: each in its .dlq with the reason, later records stored";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    String run = "faults-poison-" + o.seed();
    String kafka = stack.kafka().bootstrapServers();
    Random random = new Random(o.seed());
    TelemetryLoad load = new TelemetryLoad(stack.receiver().url(), run, 5_000_000, o.tracesPerRequest(), o.telemetryRate(), 4).start();
    SpanFactory spans = new SpanFactory(run + "-direct");
    Map<String, Poison> poisons = new HashMap<>();
    int goodSpans = 0;
    int goodLogs = 0;
    int goodPoints = 0;
    int rounds = o.full() ? 5 : 2;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(secured(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int round = 0; round < rounds; round++) {
        for (String topic : TOPICS) {
          for (int p = 0; p < 3; p++) {
            String key = run + "/" + topic + "/" + p + "/" + round;
            byte[] good = switch (topic) {
              case Topics.OTLP_SPANS -> spans.request(5_900_000 + round * 10 + p, 10, System.currentTimeMillis() * 1_000_000L);
              case Topics.OTLP_METRICS -> TelemetryRequests.gauge(run, (round * 3 + p) * 100, 100).toByteArray();
              default -> TelemetryRequests.logs(run, (round * 3 + p) * 100, 100).toByteArray();
            };
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, p, key.getBytes(StandardCharsets.UTF_8), poison(good, round, random))).get();
            poisons.put(key, new Poison(topic, p, m.offset()));
            producer.send(new ProducerRecord<>(topic, p, null, good)).get();
            switch (topic) {
              case Topics.OTLP_SPANS -> goodSpans += 10 * SpanFactory.SPANS_PER_TRACE;
              case Topics.OTLP_METRICS -> goodPoints += 100;
              default -> goodLogs += 100;
            }
          }
        }
        Pause.of(o.loadAround().dividedBy(rounds));
      }
    }
    SpanLedger ledger = load.stop();
    out.println("    " + poisons.size() + " poison records written; waiting for the ingester to commit every topic");
    for (String topic : TOPICS) {
      KafkaOffsets.awaitCommitted(kafka, GROUPS.get(topic), topic, Duration.ofMinutes(3));
    }

    // every poison in its dead-letter topic, with the reason and where it came from
    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(secured(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> dlqs = new ArrayList<>();
      for (String topic : TOPICS) {
        dlqs.add(new TopicPartition(Topics.deadLetter(topic), 0));
      }
      consumer.assign(dlqs);
      consumer.seekToBeginning(dlqs);
      Map<TopicPartition, Long> ends = consumer.endOffsets(dlqs);
      Poll.until("the dead-letter topics to be read", Duration.ofSeconds(60), Duration.ofMillis(10), () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
        return dlqs.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
      });
    }
    int found = 0;
    int withReason = 0;
    int withOrigin = 0;
    int unexpected = 0;
    Map<String, Integer> perTopic = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> d : dead) {
      String key = d.key() == null ? "" : new String(d.key(), StandardCharsets.UTF_8);
      Poison p = poisons.get(key);
      if (p == null) {
        unexpected++;
        continue;
      }
      found++;
      perTopic.merge(d.topic(), 1, Integer::sum);
      String error = header(d, "hoptrace.dlq.error");
      withReason += error != null && !error.isBlank() ? 1 : 0;
      boolean origin = p.topic().equals(header(d, "hoptrace.dlq.topic")) && String.valueOf(p.partition()).equals(header(d, "hoptrace.dlq.partition"))
          && String.valueOf(p.offset()).equals(header(d, "hoptrace.dlq.offset")) && d.topic().equals(Topics.deadLetter(p.topic()));
      withOrigin += origin ? 1 : 0;
    }
    result.figure("poison records written", poisons.size());
    for (String topic : TOPICS) {
      result.figure("  in " + Topics.deadLetter(topic), perTopic.getOrDefault(Topics.deadLetter(topic), 0));
    }
    result.figure("other dead letters", unexpected);
    result.check("every poison record is in its .dlq, once", found == poisons.size() && perTopic.values().stream().mapToInt(Integer::intValue).sum() == found,
        found + " of " + poisons.size());
    result.check("every dead letter names the reason", withReason == found, withReason + " of " + found);
    result.check("every dead letter names its topic, partition and offset", withOrigin == found, withOrigin + " of " + found);
    result.check("no good record was dead-lettered", unexpected == 0, unexpected + " others");
    if (!dead.isEmpty()) {
      result.figure("a reason", String.valueOf(header(dead.get(0), "hoptrace.dlq.error")).lines().findFirst().orElse(""));
    }

    ClickHouseQuery ch = new ClickHouseQuery(stack.clickHouse().settings());
    String direct = ClickHouseQuery.quote("bench-" + run + "-direct");
    String svc = ClickHouseQuery.quote(run);
    long spansRows = ch.count("SELECT count() FROM otel_traces WHERE ServiceName = " + direct);
    long spansDistinct = ch.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces WHERE ServiceName = " + direct);
    long logRows = ch.count("SELECT count() FROM otel_logs WHERE ServiceName = " + svc);
    long logDistinct = ch.count("SELECT uniqExact(Body) FROM otel_logs WHERE ServiceName = " + svc);
    long pointRows = ch.count("SELECT count() FROM otel_metrics_gauge WHERE ServiceName = " + svc);
    long pointDistinct = ch.count("SELECT uniqExact(Value) FROM otel_metrics_gauge WHERE ServiceName = " + svc);
    result.figure("good spans after poison (written / stored)", goodSpans + " / " + spansRows);
    result.figure("good logs after poison (written / stored)", goodLogs + " / " + logRows);
    result.figure("good metric points after poison (written / stored)", goodPoints + " / " + pointRows);
    result.check("every good record after a poison is stored once",
        spansRows == goodSpans && spansDistinct == goodSpans && logRows == goodLogs && logDistinct == goodLogs
            && pointRows == goodPoints && pointDistinct == goodPoints,
        "spans " + spansRows + "/" + spansDistinct + ", logs " + logRows + "/" + logDistinct + ", points " + pointRows + "/" + pointDistinct);
    SpanAccounting.account(stack, ledger, load.serviceName(), Duration.ofMinutes(3), result);
    result.check("the ingester is healthy (every consumer loop runs)", stack.jvm(Role.INGESTER).health() == 200, "");
  }

  /** Bytes that are not an OTLP request: a truncated one, a bad wire type, or a length past the end. */
  private static byte[] poison(byte[] good, int round, Random random) {
    switch (round % 3) {
      case 0:
        return java.util.Arrays.copyOf(good, good.length / 2);
      case 1:
        byte[] b = new byte[64];
        random.nextBytes(b);
        b[0] = 0x0f; // field 1, wire type 7: no such wire type
        return b;
      default:
        byte[] c = new byte[200];
        random.nextBytes(c);
        c[0] = 0x0a; // field 1, length-delimited ...
        c[1] = (byte) 0xff; // ... 16383 bytes long, in 200
        c[2] = 0x7f;
        return c;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Two client settings and this process's TLS / SASL ones (HOPTRACE_KAFKA_*), the two winning. */
  private static Map<String, Object> secured(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> config = io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(new HashMap<String, Object>());
    config.put(k1, v1);
    config.put(k2, v2);
    return config;
  }
}
