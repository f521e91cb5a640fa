package io.hoptrace.inventory;

import io.hoptrace.telemetry.ServiceLauncher;

/** The inventory process: configuration, telemetry, Vert.x with the tracer, the verticles. */
public final class InventoryMain {
  private InventoryMain() {}

  public static void main(String[] args) {
    ServiceLauncher.launch("inventory", InventoryConfig::fromEnv, InventoryApp::deploy);
  }
}
