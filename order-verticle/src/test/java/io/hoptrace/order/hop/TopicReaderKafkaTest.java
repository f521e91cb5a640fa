package io.hoptrace.order.hop;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reader on a real broker: the results reader asks no positions once it has caught up. */
@ExtendWith(RealInfrastructure.class)
class TopicReaderKafkaTest {

  @Test
  void aReaderThatNeedsNoPositionsAsksThemOnlyUntilCaughtUpAndStillHandsOverEveryRecord(Infrastructure infra) throws Exception {
    String topic = Infrastructure.unique("results");
    TopicSetup.ensure(infra.kafkaBootstrapServers(), List.of(Topics.business(topic)));
    Vertx vertx = Vertx.vertx();
    List<String> handed = new CopyOnWriteArrayList<>();
    List<Map<TopicPartition, Long>> seen = new CopyOnWriteArrayList<>();
    try (KafkaProducer<String, String> producer = producer(infra)) {
      producer.send(new ProducerRecord<>(topic, "a", "before")).get();
      TopicReader reader = new TopicReader(vertx, infra.kafkaBootstrapServers(), "test-results", topic,
          (r, live) -> handed.add(r.value() + (live ? " live" : "")), (r, positions) -> seen.add(Map.copyOf(positions)))
          .positionsOnlyUntilCaughtUp();
      vertx.runOnContext(v -> reader.start());
      Poll.until("the reader caught up", Duration.ofSeconds(60), Duration.ofMillis(50), reader::isCaughtUp);
      assertThat(seen).as("positions until caught up").anySatisfy(p -> assertThat(p).hasSize(3));
      int afterCatchUp = seen.size();

      for (int i = 1; i <= 5; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "r" + i)).get();
      }
      Poll.until("every record handed over", Duration.ofSeconds(60), Duration.ofMillis(50), () -> handed.size() == 6);
      assertThat(handed).containsExactlyInAnyOrder("before", "r1 live", "r2 live", "r3 live", "r4 live", "r5 live");
      Poll.until("another poll", Duration.ofSeconds(30), Duration.ofMillis(20), () -> seen.size() > afterCatchUp + 1);
      assertThat(seen.subList(afterCatchUp + 1, seen.size())).as("no positions asked once caught up").allSatisfy(p -> assertThat(p).isEmpty());
      vertx.runOnContext(v -> reader.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<String, String> producer(Infrastructure infra) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()),
        new StringSerializer(), new StringSerializer());
  }
}
