package io.hoptrace.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class UntracedPathsSamplerTest {
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";

  private static SamplingDecision decide(Sampler s, SpanKind kind, String path) {
    return s.shouldSample(Context.root(), TRACE, "GET", kind, Attributes.of(AttributeKey.stringKey("url.path"), path), List.of()).getDecision();
  }

  @Test
  void dropsOnlyServerSpansOfTheListedPaths() {
    Sampler s = UntracedPathsSampler.wrap(Sampler.parentBased(Sampler.alwaysOn()), UntracedPathsSampler.DEFAULT_PATHS);
    assertThat(decide(s, SpanKind.SERVER, "/health")).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(s, SpanKind.SERVER, "/list-products")).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, SpanKind.SERVER, "/health/extra")).as("exact paths only").isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, SpanKind.CLIENT, "/health")).as("a client call to someone's /health is still traced").isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void otherDecisionsAreTheConfiguredSamplers() {
    Sampler s = UntracedPathsSampler.wrap(Sampler.alwaysOff(), List.of("/health"));
    assertThat(decide(s, SpanKind.SERVER, "/list-products")).isEqualTo(SamplingDecision.DROP);
    assertThat(s.getDescription()).contains("/health", "AlwaysOffSampler");
  }

  @Test
  void anEmptyListTracesEveryPathAndABadOneIsNamed() {
    Sampler on = Sampler.alwaysOn();
    assertThat(UntracedPathsSampler.wrap(on, List.of(" ", ""))).isSameAs(on);
    assertThatThrownBy(() -> UntracedPathsSampler.wrap(on, List.of("health"))).isInstanceOf(io.hoptrace.config.Env.ConfigException.class)
        .hasMessageContaining("HOPTRACE_UNTRACED_PATHS").hasMessageContaining("'health'");
  }
}
