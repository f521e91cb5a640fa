package io.hoptrace.stack;

import io.hoptrace.load.traffic.Rate;
import io.hoptrace.load.traffic.Report;
import io.hoptrace.load.traffic.Shares;
import io.hoptrace.load.traffic.Traffic;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./stack load}: customers of the running stack over its HTTP API ({@link Traffic}), one live
 * line while it runs, a summary at the end, also on Ctrl-C (a shutdown hook prints it).
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Places orders on the running stack at a steady rate, with a realistic mix, until stopped.",
    description = {"Most orders succeed, some find their product sold out, a share are invalid (refused with 4xx, as they must be), "
        + "and occasional restocks (POST /restock on inventory) refill what sold out. One live line (orders/s, status mix, "
        + "p50/p99, errors), a line every 5 s when the output is not a terminal, and a summary at the end or on Ctrl-C.",
        "The addresses are the running stack's (./stack status), or --order-url and --inventory-url."})
final class LoadCommand implements Callable<Integer> {
  private static final Pattern URL = Pattern.compile("https?://\\S+");
  private static final Duration GRACE = Duration.ofSeconds(35); // longer than a request's own timeout

  @ParentCommand
  StackCommand root;

  @Option(names = "--rate", paramLabel = "RATE", defaultValue = "50/s", description = "Requests per second: 50/s, 600/m (default: ${DEFAULT-VALUE}).")
  String rate;

  @Option(names = "--duration", paramLabel = "TIME", description = "How long: 10s, 5m, 2h (default: until Ctrl-C).")
  String duration;

  @Option(names = "--hot-product", paramLabel = "ID", arity = "0..1", fallbackValue = "laptop",
      description = "Send 80% of the orders to one product (default when given without a value: laptop): it sells out "
          + "again and again, and the restocks chase it.")
  String hotProduct;

  @Option(names = "--bad", paramLabel = "SHARE", defaultValue = "5%", description = "Share of invalid requests (default: ${DEFAULT-VALUE}).")
  String bad;

  @Option(names = "--restock", paramLabel = "SHARE", defaultValue = "3%",
      description = "Share of restocks of 50-100 items, of a product seen sold out if any (default: ${DEFAULT-VALUE}; 0 for none).")
  String restock;

  @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "200",
      description = "At most this many requests waiting for an answer; a due request beyond is skipped and counted (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(names = "--order-url", paramLabel = "URL", description = "The order service (default: the running stack's).")
  String orderUrl;

  @Option(names = "--inventory-url", paramLabel = "URL", description = "The inventory service (default: the running stack's).")
  String inventoryUrl;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the mix (default: random).")
  Long seed;

  @Override
  public Integer call() throws InterruptedException {
    Traffic.Settings settings = new Traffic.Settings(
        orderUrl != null ? orderUrl : stackUrl("order", "ORDER_HTTP_PORT", 8000),
        inventoryUrl != null ? inventoryUrl : stackUrl("inventory", "INVENTORY_HTTP_PORT", 8010),
        Rate.parse(rate),
        Optional.ofNullable(duration).map(Shares::duration),
        hotProduct, Shares.percent(bad), Shares.percent(restock), maxInFlight,
        seed != null ? seed : System.nanoTime());
    Console console = root.console();
    Traffic traffic = new Traffic(settings).start();
    console.step("load on " + settings.orderUrl() + " at " + settings.rate() + settings.duration().map(d -> " for " + duration).orElse(" until Ctrl-C")
        + (hotProduct != null ? ", hot product " + hotProduct : "") + "; restocks on " + settings.inventoryUrl());
    Report report = new Report(traffic.tally());
    boolean live = console.terminal();
    AtomicBoolean finished = new AtomicBoolean();
    Runnable finish = () -> {
      if (finished.compareAndSet(false, true)) {
        Duration elapsed = traffic.elapsed();
        int left;
        try {
          left = traffic.stop(GRACE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          left = traffic.inFlight();
        }
        if (live) {
          console.out().println();
        }
        console.line(report.summary(elapsed, left));
      }
    };
    Thread hook = new Thread(finish, "load-summary");
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: stop, wait for the answers, print the summary
    try {
      long every = live ? 1_000 : 5_000;
      long next = every;
      while (traffic.running()) {
        TimeUnit.MILLISECONDS.sleep(100); // the display's clock, not a synchronisation
        if (traffic.elapsed().toMillis() >= next && traffic.running()) {
          next += every;
          String line = report.line(traffic.elapsed());
          if (live) {
            console.out().print("\r" + line + "\033[K");
            console.out().flush();
          } else {
            console.line(line);
          }
        }
      }
      finish.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook prints the summary
      }
    }
    return 0;
  }

  /** The service's URL from the running stack's state, as ./stack status shows it; else from its port variable. */
  private String stackUrl(String component, String portVariable, int defaultPort) {
    return StackState.read(root.config().stateFile())
        .flatMap(s -> s.addresses(component).stream().map(URL::matcher).filter(Matcher::find).map(Matcher::group).findFirst())
        .orElse("http://127.0.0.1:" + root.env().port(portVariable, defaultPort));
  }
}
