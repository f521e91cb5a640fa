package io.hoptrace.faults;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Port;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.orders.ServiceApi;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the scenarios look up in the suite's stack. */
public final class Parts {
  private Parts() {}

  /** Our processes (receiver, ingester, inventory, order) by name, in start order: for RSS and liveness. */
  public static Map<String, JvmInstance> processes(Stack stack) {
    Map<String, JvmInstance> m = new LinkedHashMap<>();
    for (Instance i : stack.instances()) {
      if (i instanceof JvmInstance j) {
        m.put(j.name(), j);
      }
    }
    return m;
  }

  /** The services' own APIs: stock levels and the order book. */
  public static ServiceApi api(Stack stack) {
    return new ServiceApi(stack.jvm(Role.ORDER).url(), stack.jvm(Role.INVENTORY).url());
  }

  public static int otlpGrpcPort(Stack stack) {
    return stack.receiver().ports().get(Port.OTLP_GRPC);
  }
}
