package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightLimitTest {

  @Test
  void aCallerGetsUpToMaxPlaces_andEachGivenBackIsFreeAgain() {
    InFlightLimit limit = new InFlightLimit(2);
    assertThat(limit.enter("alice")).isTrue();
    assertThat(limit.enter("alice")).isTrue();
    assertThat(limit.enter("alice")).as("the third at once").isFalse();
    assertThat(limit.enter("bob")).as("another caller counts apart").isTrue();
    limit.leave("alice");
    assertThat(limit.enter("alice")).isTrue();
    limit.leave("alice");
    limit.leave("alice");
    limit.leave("alice"); // more than taken: nothing below zero
    assertThat(limit.enter("alice")).isTrue();
    assertThat(limit.enter("alice")).isTrue();
    assertThat(limit.enter("alice")).isFalse();
  }
}
