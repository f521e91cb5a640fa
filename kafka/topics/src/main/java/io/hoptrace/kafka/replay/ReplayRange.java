package io.hoptrace.kafka.replay;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which records a replay re-delivers: those of {@code topic} with a timestamp in [from, to).
 *
 * @param from empty = from the earliest retained offset
 * @param to empty = up to the end of the topic as it is when the replay starts (never its own copies)
 */
public record ReplayRange(String topic, Optional<Instant> from, Optional<Instant> to) {
  public ReplayRange {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw new IllegalArgumentException("--from " + from.get() + " must be before --to " + to.get());
    }
  }

  @Override
  public String toString() {
    return topic + " from " + from.map(Instant::toString).orElse("earliest") + " to " + to.map(Instant::toString).orElse("now");
  }
}
