package io.hoptrace.order;

import io.hoptrace.telemetry.ServiceLauncher;

/** The order process: configuration, telemetry, Vert.x with the tracer, the verticles. */
public final class OrderMain {
  private OrderMain() {}

  public static void main(String[] args) {
    ServiceLauncher.launch("order", OrderConfig::fromEnv, OrderApp::deploy);
  }
}
