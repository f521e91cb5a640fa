package io.hoptrace.telemetry.http;

import io.hoptrace.config.Env;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Set;

/**
 * Drops the HTTP SERVER spans of the given paths ({@code /health} by default) and defers every other
 * decision to the configured sampler. Health checks come every few seconds from {@code ./stack},
 * Docker and load balancers; traced, they would bury the traces people look for. The Vert.x tracer
 * sets {@code url.path} before the span starts, so the sampler sees it.
 */
public final class UntracedPathsSampler implements Sampler {
  /** Configuration key ({@code HOPTRACE_UNTRACED_PATHS}, comma-separated; empty traces every path). */
  public static final String PROPERTY = "hoptrace.untraced.paths";
  public static final List<String> DEFAULT_PATHS = List.of("/health");

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  private final Sampler delegate;
  private final Set<String> paths;

  private UntracedPathsSampler(Sampler delegate, Set<String> paths) {
    this.delegate = delegate;
    this.paths = paths;
  }

  /** {@code delegate} itself when there is no path to leave untraced. */
  public static Sampler wrap(Sampler delegate, List<String> paths) {
    Set<String> exact = Set.copyOf(paths.stream().map(String::trim).filter(p -> !p.isEmpty()).toList());
    for (String p : exact) {
      if (!p.startsWith("/")) {
        throw new Env.ConfigException("HOPTRACE_UNTRACED_PATHS: '" + p + "' is not a path; use paths that start with /, e.g. /health");
      }
    }
    return exact.isEmpty() ? delegate : new UntracedPathsSampler(delegate, exact);
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind, Attributes attributes,
      List<LinkData> parentLinks) {
    if (spanKind == SpanKind.SERVER && paths.contains(attributes.get(URL_PATH))) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "UntracedPaths{paths=" + paths + ", then " + delegate.getDescription() + "}";
  }
}
