package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.strict.StrictLayout;
import org.junit.jupiter.api.Test;

class ManifestObjectTest {

  @Test
  void keysAreToldByTheLibrarysLayouts_andContentObjectsAreNoManifestObjects() {
    String entry = new CausalLayout("rooms/a@b/m.json").entryKey(1_700_000_000_000L, "s1x", 3);
    assertThat(ManifestObject.of(entry))
        .isEqualTo(new ManifestObject(ManifestObject.Kind.CAUSAL_ENTRY, "rooms/a@b/m.json", 0));
    StrictLayout strict = new StrictLayout("rooms/s");
    assertThat(ManifestObject.of(strict.logKey(42)))
        .isEqualTo(new ManifestObject(ManifestObject.Kind.STRICT_SLOT, "rooms/s", 42));
    assertThat(ManifestObject.of(strict.checkpointKey(100)))
        .isEqualTo(new ManifestObject(ManifestObject.Kind.CHECKPOINT, "rooms/s", 100));
    assertThat(ManifestObject.of(strict.headKey()))
        .isEqualTo(new ManifestObject(ManifestObject.Kind.HEAD, "rooms/s", 0));
    assertThat(ManifestObject.of(strict.segmentKey("0123456789abcdef".repeat(4))))
        .isEqualTo(new ManifestObject(ManifestObject.Kind.SEGMENT, "rooms/s", 0));
    // Content objects, a time digit beyond base 32, short slot numbers, bare layout words.
    assertThat(
            ManifestObject.of(
                CausalLayout.contentKey("users/a", "0b7f2c1e-4c1d-4b7a-9d53-1c2e3f4a5b6c")))
        .isNull();
    assertThat(ManifestObject.of("m@2bmrrbt9z_s_vv")).isNull();
    assertThat(ManifestObject.of("rooms/s/log/42")).isNull();
    assertThat(ManifestObject.of("/head")).isNull();
    assertThat(ManifestObject.of("rooms/s/segment/0123456789ABCDEF")).isNull();
    assertThat(ManifestObject.of("users/alice/note")).isNull();
  }
}
