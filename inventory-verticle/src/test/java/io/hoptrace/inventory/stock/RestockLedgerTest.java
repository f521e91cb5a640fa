package io.hoptrace.inventory.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restocks in the ledger: added once per request id, a new product only with create, limits kept. */
class RestockLedgerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private StockLedger ledger;

  @BeforeEach
  void seed() {
    ledger = new StockLedger();
    ledger.restore(new Product("p", "P", 1.0, 0));
    ledger.commit();
  }

  private StockLedger.Outcome restock(RestockRequest r) {
    ledger.begin();
    StockLedger.Outcome o = ledger.restock(r, NOW);
    ledger.commit();
    return o;
  }

  @Test
  void addsStockOncePerRequestId() {
    StockLedger.Outcome first = restock(new RestockRequest("r1", "p", 7, false, "p", 0));
    assertThat(first.decision().status()).isEqualTo(Decision.Status.CONFIRMED);
    assertThat(first.changedProduct().stock()).isEqualTo(7);
    StockLedger.Outcome again = restock(new RestockRequest("r1", "p", 7, false, "p", 0));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.changedProduct()).isNull();
    assertThat(again.decision()).isEqualTo(first.decision());
    assertThat(ledger.products().get("p").stock()).isEqualTo(7);
    assertThat(ledger.products().get("p").name()).isEqualTo("P");
  }

  @Test
  void aMissingProductIsAddedOnlyWithCreate() {
    StockLedger.Outcome refused = restock(new RestockRequest("r1", "t", 5, false, "t", 0));
    assertThat(refused.decision().reason()).isEqualTo("unknown_product");
    assertThat(ledger.products()).doesNotContainKey("t");

    StockLedger.Outcome created = restock(new RestockRequest("r2", "t", 5, true, "Tablet", 399));
    assertThat(created.decision().confirmed()).isTrue();
    assertThat(ledger.products().get("t")).isEqualTo(new Product("t", "Tablet", 399, 5));

    // create on an existing product restocks it and keeps its name and price
    restock(new RestockRequest("r3", "t", 2, true, "Other", 1));
    assertThat(ledger.products().get("t")).isEqualTo(new Product("t", "Tablet", 399, 7));
  }

  @Test
  void quantitiesOutsideTheLimitsChangeNothing() {
    assertThat(restock(new RestockRequest("a", "p", 0, false, "p", 0)).decision().reason()).isEqualTo("invalid_request");
    assertThat(restock(new RestockRequest("b", "p", -3, false, "p", 0)).decision().reason()).isEqualTo("invalid_request");
    assertThat(restock(new RestockRequest("c", "p", RestockRequest.MAX_QUANTITY + 1, false, "p", 0)).decision().reason())
        .isEqualTo("invalid_request");
    for (int i = 0; i < RestockRequest.MAX_STOCK / RestockRequest.MAX_QUANTITY; i++) {
      assertThat(restock(new RestockRequest("fill-" + i, "p", RestockRequest.MAX_QUANTITY, false, "p", 0)).decision().confirmed()).isTrue();
    }
    StockLedger.Outcome over = restock(new RestockRequest("d", "p", 1, false, "p", 0));
    assertThat(over.decision().reason()).isEqualTo("stock_limit");
    assertThat(ledger.products().get("p").stock()).isEqualTo(RestockRequest.MAX_STOCK);
  }

  @Test
  void aRolledBackRestockLeavesNothing() {
    ledger.begin();
    ledger.restock(new RestockRequest("r1", "p", 3, false, "p", 0), NOW);
    ledger.rollback();
    assertThat(ledger.products().get("p").stock()).isZero();
    assertThat(restock(new RestockRequest("r1", "p", 3, false, "p", 0)).duplicate()).isFalse();
  }

  @Test
  void readsItsKafkaValue() {
    RestockRequest r = new RestockRequest("r1", "t", 5, true, "Tablet", 399);
    assertThat(RestockRequest.fromKafkaValue(r.toJson().encode())).isEqualTo(r);
    RestockRequest plain = new RestockRequest("r2", "p", 5, false, "p", 0);
    assertThat(RestockRequest.fromKafkaValue(plain.toJson().encode())).isEqualTo(plain);
    assertThatThrownBy(() -> RestockRequest.fromKafkaValue("nope")).isInstanceOf(ReductionRequest.InvalidRequest.class);
    assertThatThrownBy(() -> RestockRequest.fromKafkaValue("{\"requestId\":\"x\",\"productId\":\"p\"}"))
        .isInstanceOf(ReductionRequest.InvalidRequest.class).hasMessageContaining("quantity");
  }
}
