package io.mps3.testkit.issues;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Protocol;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.PutOptions;
import io.mps3.testkit.ClientContractBase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Issue #16: an object put into a bucket by hand, with a name shaped like a log entry but not one,
 * made every get and put of its manifest fail. Subclassed once per store.
 */
abstract class Issue16Cases extends ClientContractBase {

  /** A client of this test's manifest in the given protocol, closed after the test. */
  Mps3AsyncClient client(Protocol protocol) {
    return client(Clock.systemUTC(), b -> b.protocol(protocol));
  }

  void putByHand(String key, String body) {
    await(
        store()
            .put(
                bucket(),
                key,
                body.getBytes(StandardCharsets.UTF_8),
                PutOptions.unconditional().withContentType(PutOptions.JSON)));
  }

  @Test
  void causal_entryNameWithADigitOutsideRadix32_isSkipped_andGetsAndPutsWork() {
    Mps3AsyncClient writer = client(Protocol.CAUSAL);
    await(writer.put("k", 1));
    // The issue's name, relative to now so that it lists within the window: the newest entry's
    // time digits with the last one replaced by 'z' (the JavaScript client's pattern allows a-z,
    // radix 32 stops at v).
    String valid = new CausalLayout(manifest).entryKey(System.currentTimeMillis(), "abc", 0);
    String time = valid.substring(manifest.length() + 1, manifest.length() + 10);
    putByHand(manifest + "@" + time.substring(0, 8) + "z_zzzzzzzzzz_vv", "{\"files\":{}}");
    putByHand(manifest + "@2bmrrbt9z_zzzzzzzzzz_vv", "{\"files\":{}}");

    Mps3AsyncClient reader = client(Protocol.CAUSAL);
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    await(reader.put("k", 2));
    assertThat(await(client(Protocol.CAUSAL).get("k"))).contains(IntNode.valueOf(2));
  }

  @Test
  void causal_entryWhoseUpdateSetsFilesToAString_isSkipped_andNotWrittenForward() {
    // Valid before the fix: every later state's files became "everything", and this client wrote
    // that forward into entries that no reader (itself included) accepts.
    Mps3AsyncClient writer = client(Protocol.CAUSAL);
    await(writer.put("k", 1));
    String name = new CausalLayout(manifest).entryKey(System.currentTimeMillis(), "hostile", 0);
    putByHand(name, "{\"files\": {}, \"update\": {\"files\": \"everything\"}}");

    Mps3AsyncClient reader = client(Protocol.CAUSAL);
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    await(reader.put("j", 2));
    Mps3AsyncClient third = client(Protocol.CAUSAL);
    assertThat(await(third.get("k"))).contains(IntNode.valueOf(1));
    assertThat(await(third.get("j"))).contains(IntNode.valueOf(2));
  }

  @Test
  void strict_headAndCheckpointNearLongMax_areSkipped_andWritesWork() {
    // Before the fix the client opened at slot 2^63 - 2 and its next slot number overflowed.
    Mps3AsyncClient writer = client(Protocol.STRICT);
    await(writer.put("k", 1));
    long huge = Long.MAX_VALUE - 1;
    putByHand(manifest + "/checkpoint/0" + huge, "{\"seq\": " + huge + ", \"files\": {}}");
    putByHand(manifest + "/head", "{\"checkpoint\": " + huge + "}");

    Mps3AsyncClient reader = client(Protocol.STRICT);
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    await(reader.put("k", 2));
    assertThat(await(client(Protocol.STRICT).get("k"))).contains(IntNode.valueOf(2));
  }
}
