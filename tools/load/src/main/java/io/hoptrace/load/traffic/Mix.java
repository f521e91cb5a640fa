package io.hoptrace.load.traffic;

import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What the next request of the load is: an order (most), an invalid request (a share), or a restock
 * (a share, of a product seen sold out when there is one, so that stock never stays empty). With a
 * hot product, {@link #HOT_SHARE} of the orders ask for it.
 */
public final class Mix {
  /** Share of the orders that go to the hot product, when there is one. */
  public static final double HOT_SHARE = 0.8;

  public enum Kind { ORDER, INVALID, RESTOCK }

  /** An invalid request and what makes it invalid; the service must refuse it (4xx) and change nothing. */
  public enum Invalid {
    UNKNOWN_PRODUCT("{\"productId\":\"no-such-product\",\"quantity\":1}"),
    ZERO_QUANTITY("{\"productId\":\"%s\",\"quantity\":0}"),
    ABSURD_QUANTITY("{\"productId\":\"%s\",\"quantity\":1000000}"),
    BAD_ID("{\"productId\":\"not an id!\",\"quantity\":1}"),
    MALFORMED_JSON("{\"productId\":\"%s\",\"quantity\":");

    private final String template;

    Invalid(String template) {
      this.template = template;
    }

    public String body(String productId) {
      return template.contains("%s") ? String.format(template, productId) : template;
    }
  }

  /** One request to make: for an order or restock, its product and quantity; for an invalid one, what is wrong. */
  public record Action(Kind kind, String productId, int quantity, Invalid invalid) {}

  private final List<String> products;
  private final String hotProduct;
  private final double invalidShare;
  private final double restockShare;

  /**
   * @param hotProduct null for none
   * @param invalidShare fraction of requests that are invalid
   * @param restockShare fraction of requests that are restocks
   */
  public Mix(List<String> products, String hotProduct, double invalidShare, double restockShare) {
    if (products.isEmpty()) {
      throw new IllegalArgumentException("the catalogue is empty: nothing to order");
    }
    if (hotProduct != null && !products.contains(hotProduct)) {
      throw new IllegalArgumentException("hot product '" + hotProduct + "' is not in the catalogue " + products);
    }
    if (invalidShare + restockShare > 1) {
      throw new IllegalArgumentException("invalid and restock shares together exceed 100%");
    }
    this.products = List.copyOf(products);
    this.hotProduct = hotProduct;
    this.invalidShare = invalidShare;
    this.restockShare = restockShare;
  }

  /** @param soldOut products last seen without stock (restocks prefer them) */
  public Action next(Random random, Set<String> soldOut) {
    double draw = random.nextDouble();
    if (draw < invalidShare) {
      Invalid[] all = Invalid.values();
      return new Action(Kind.INVALID, pick(random), 0, all[random.nextInt(all.length)]);
    }
    if (draw < invalidShare + restockShare) {
      List<String> empty = soldOut.stream().filter(products::contains).sorted().toList();
      String product = empty.isEmpty() ? products.get(random.nextInt(products.size())) : empty.get(random.nextInt(empty.size()));
      return new Action(Kind.RESTOCK, product, 50 + random.nextInt(51), null);
    }
    return new Action(Kind.ORDER, pick(random), 1 + random.nextInt(3), null);
  }

  private String pick(Random random) {
    if (hotProduct != null && random.nextDouble() < HOT_SHARE) {
      return hotProduct;
    }
    return products.get(random.nextInt(products.size()));
  }
}
