package io.hoptrace.inventory.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StockLedgerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private StockLedger ledger;

  @BeforeEach
  void seed() {
    ledger = new StockLedger();
    ledger.restore(new Product("p", "P", 1.0, 5));
    ledger.commit();
  }

  @Test
  void confirmsWhileStockLastsAndNeverGoesBelowZero() {
    ledger.begin();
    assertThat(ledger.decide(new ReductionRequest("a", "p", 3), NOW).decision().status()).isEqualTo(Decision.Status.CONFIRMED);
    StockLedger.Outcome tooMany = ledger.decide(new ReductionRequest("b", "p", 3), NOW);
    assertThat(tooMany.decision().status()).isEqualTo(Decision.Status.REJECTED);
    assertThat(tooMany.decision().reason()).isEqualTo("insufficient_stock");
    assertThat(tooMany.decision().message()).isEqualTo("only 2 of 'p' left, 3 requested");
    assertThat(ledger.decide(new ReductionRequest("c", "p", 2), NOW).decision().stockAfter()).isZero();
    ledger.commit();
    assertThat(ledger.products().get("p").stock()).isZero();
  }

  @Test
  void aRequestIdIsDecidedOnceAndTheSameAnswerComesBack() {
    ledger.begin();
    StockLedger.Outcome first = ledger.decide(new ReductionRequest("a", "p", 2), NOW);
    ledger.commit();
    ledger.begin();
    StockLedger.Outcome again = ledger.decide(new ReductionRequest("a", "p", 2), NOW.plusSeconds(60));
    ledger.commit();

    assertThat(again.duplicate()).isTrue();
    assertThat(again.decision()).isEqualTo(first.decision());
    assertThat(again.changedProduct()).isNull();
    assertThat(ledger.products().get("p").stock()).isEqualTo(3);
  }

  @Test
  void aDuplicateWithinTheSameBatchIsSeenToo() {
    ledger.begin();
    ledger.decide(new ReductionRequest("a", "p", 2), NOW);
    assertThat(ledger.decide(new ReductionRequest("a", "p", 2), NOW).duplicate()).isTrue();
    ledger.commit();
    assertThat(ledger.products().get("p").stock()).isEqualTo(3);
  }

  @Test
  void productsAsDecidedShowTheOpenTransactionAndProductsOnlyWhatIsCommitted() {
    ledger.begin();
    ledger.decide(new ReductionRequest("a", "p", 2), NOW);
    assertThat(ledger.productsAsDecided().get("p").stock()).isEqualTo(3);
    assertThat(ledger.products().get("p").stock()).isEqualTo(5);
    ledger.rollback();
    assertThat(ledger.productsAsDecided().get("p").stock()).isEqualTo(5);
  }

  @Test
  void rollbackForgetsEverythingOfTheBatch() {
    ledger.begin();
    ledger.decide(new ReductionRequest("a", "p", 2), NOW);
    ledger.rollback();

    assertThat(ledger.products().get("p").stock()).isEqualTo(5);
    ledger.begin();
    assertThat(ledger.decide(new ReductionRequest("a", "p", 2), NOW).duplicate()).isFalse();
  }

  @Test
  void unknownProductsAndRefusalsOverHttpAreNotFinal() {
    ledger.begin();
    StockLedger.Outcome unknown = ledger.decide(new ReductionRequest("u", "nope", 1), NOW);
    assertThat(unknown.decision().reason()).isEqualTo("unknown_product");
    assertThat(unknown.stored()).isTrue();
    StockLedger.Outcome httpRefusal = ledger.decide(new ReductionRequest("h", "p", 9), NOW, false);
    assertThat(httpRefusal.stored()).isFalse();
    ledger.commit();
    ledger.begin();
    assertThat(ledger.decide(new ReductionRequest("h", "p", 1), NOW, false).decision().confirmed()).isTrue();
  }

  @Test
  void beginWithStagedChangesIsAMistake() {
    ledger.begin();
    ledger.decide(new ReductionRequest("a", "p", 1), NOW);
    assertThatThrownBy(ledger::begin).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void kafkaRequestsAreReadStrictly() {
    assertThat(ReductionRequest.fromKafkaValue("{\"orderId\":\"o\",\"productId\":\"p\",\"quantity\":2}"))
        .isEqualTo(new ReductionRequest("o", "p", 2));
    assertThatThrownBy(() -> ReductionRequest.fromKafkaValue("not json"))
        .isInstanceOf(ReductionRequest.InvalidRequest.class).hasMessage("the value is not a JSON object");
    assertThatThrownBy(() -> ReductionRequest.fromKafkaValue("{\"orderId\":\"o\",\"productId\":\"p\",\"quantity\":\"2\"}"))
        .isInstanceOf(ReductionRequest.InvalidRequest.class).hasMessage("quantity is missing or not an integer")
        .extracting(e -> ((ReductionRequest.InvalidRequest) e).requestId()).isEqualTo("o");
  }

  @Test
  void theBuiltInCatalogueLoads() {
    assertThat(Catalogue.load(java.util.Optional.empty())).extracting(Product::productId)
        .containsExactly("laptop", "phone", "headphones", "keyboard", "monitor");
    assertThatThrownBy(() -> Catalogue.parse("[{\"productId\":\"a\",\"name\":\"A\",\"stock\":1},{\"productId\":\"a\",\"name\":\"A\",\"stock\":1}]", "test"))
        .hasMessageContaining("product a is listed twice");
  }
}
