package io.mps3.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.store.StoreProbe;
import io.mps3.store.StoreReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreProbeTest {

  @TempDir Path dir;

  @Test
  void probe_ofTheLocalDirectory_findsAtomicWritesMillisecondsAndNoVersioning() {
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      StoreReport report = StoreProbe.create().withRaces(8, 3).probe(store, "probe");
      assertThat(report.conditionalCreate().atomic()).isTrue();
      assertThat(report.conditionalCreate().rounds()).isEqualTo(3);
      assertThat(report.conditionalReplace().atomic()).isTrue();
      assertThat(report.staleCreateRejected()).isTrue();
      assertThat(report.staleReplaceRejected()).isTrue();
      assertThat(report.versioning()).isFalse();
      assertThat(report.strictProtocolSupported()).isTrue();
      assertThat(report.toText())
          .contains("concurrent creates:          atomic (3/3 rounds of 8 racers")
          .contains("protocols:                     causal, strict");
      assertThat(store.listAll("probe", "", null).join()).as("probe objects are deleted").isEmpty();
    }
  }

  @Test
  void raceCreatesAndRaceReplaces_runOnlyTheirOwnRace_andCleanUp() {
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      StoreProbe probe = StoreProbe.create().withRaces(6, 4);
      StoreReport.RaceResult creates = probe.raceCreates(store, "probe");
      assertThat(creates.atomic()).isTrue();
      assertThat(creates.rounds()).isEqualTo(4);
      assertThat(creates.racers()).isEqualTo(6);
      StoreReport.RaceResult replaces = probe.raceReplaces(store, "probe");
      assertThat(replaces.atomic()).isTrue();
      assertThat(replaces.roundsWithOneWinner()).isEqualTo(4);
      assertThat(store.listAll("probe", "", null).join()).as("probe objects are deleted").isEmpty();
    }
  }

  @Test
  void probe_seesVersioningAndAStoreClockTwentySecondsAhead() {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(20));
    try (ObjectStore store = ObjectStores.inMemoryVersioned(ahead)) {
      StoreReport report = StoreProbe.create().withRaces(4, 2).probe(store, "probe");
      assertThat(report.versioning()).isTrue();
      assertThat(report.clockOffset()).isNotNull();
      // This store's date has milliseconds, so the offset is exact but for the round trip.
      assertThat(report.clockOffset().toMillis()).isBetween(19_900L, 20_100L);
      assertThat(report.notes()).anyMatch(n -> n.contains("older versions"));
    }
  }
}
