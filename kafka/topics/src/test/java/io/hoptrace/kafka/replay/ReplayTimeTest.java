package io.hoptrace.kafka.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayTimeTest {
  final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void acceptsEveryDocumentedForm() {
    assertThat(ReplayTime.parse("earliest", clock)).isEmpty();
    assertThat(ReplayTime.parse("2026-11-25T10:00:00Z", clock)).contains(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(ReplayTime.parse("2026-11-25T11:00:00+01:00", clock)).contains(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(ReplayTime.parse("2026-11-25T10:30", clock)).contains(Instant.parse("2026-11-25T10:30:00Z"));
    assertThat(ReplayTime.parse("2026-11-24", clock)).contains(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(ReplayTime.parse("1795600000000", clock)).contains(Instant.ofEpochMilli(1795600000000L));
    assertThat(ReplayTime.parse("15m", clock)).contains(Instant.parse("2026-11-25T11:45:00Z"));
    assertThat(ReplayTime.parse("2d", clock)).isEqualTo(Optional.of(Instant.parse("2026-11-23T12:00:00Z")));
  }

  @Test
  void rejectsGarbageNamingIt() {
    assertThatThrownBy(() -> ReplayTime.parse("yesterday'; DROP", clock))
        .hasMessageStartingWith("'yesterday'; DROP' is not a time");
  }

  @Test
  void rangeMustRunForward() {
    assertThatThrownBy(() -> new ReplayRange("t", Optional.of(Instant.parse("2026-11-25T12:00:00Z")), Optional.of(Instant.parse("2026-11-25T11:00:00Z"))))
        .hasMessageContaining("must be before --to");
  }
}
