package io.mps3;

import io.mps3.ManifestCheck.Finding;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.strict.StrictEntry;
import io.mps3.internal.strict.StrictHead;
import io.mps3.internal.strict.StrictLayout;
import io.mps3.internal.strict.StrictLog;
import io.mps3.internal.strict.StrictSlot;
import io.mps3.internal.strict.StrictState;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.StoredObject;
import java.util.Map;

/**
 * The check of a strict manifest {@code M} (PROTOCOL.md part B): its slots {@code M/log/<n>}, its
 * checkpoints {@code M/checkpoint/<n>} and their segments {@code M/segment/<sha256>} (design 0016),
 * its head {@code M/head}, and the content its state references. Keys under those prefixes that
 * name no slot are someone else's objects, never touched.
 */
final class StrictManifestCheck {

  private StrictManifestCheck() {}

  static void run(ManifestCheck.Tally tally, String manifestKey) {
    StrictLayout layout = new StrictLayout(manifestKey);
    for (ObjectMetadata listed :
        tally.store.listAll(tally.bucket, layout.logPrefix(), null).join()) {
      Long n = StrictLayout.number(layout.logPrefix(), listed.key());
      StoredObject object = n == null ? null : tally.read(listed.key());
      if (n == null) {
        tally.ignored++;
      } else if (object != null) {
        tally.parsed(
            StrictEntry.parse(listed.key(), n, object.body()),
            object,
            Finding.Action.MOVE_AND_FILL_SLOT,
            n);
      }
    }
    for (ObjectMetadata listed :
        tally.store.listAll(tally.bucket, layout.checkpointPrefix(), null).join()) {
      Long n = StrictLayout.number(layout.checkpointPrefix(), listed.key());
      StoredObject object = n == null ? null : tally.read(listed.key());
      if (n == null) {
        tally.ignored++;
      } else if (object != null) {
        tally.parsed(
            StrictState.checkCheckpoint(listed.key(), n, object.body()),
            object,
            Finding.Action.MOVE,
            0);
      }
    }
    for (ObjectMetadata listed :
        tally.store.listAll(tally.bucket, layout.segmentPrefix(), null).join()) {
      String name = listed.key().substring(layout.segmentPrefix().length());
      StoredObject object = tally.read(listed.key());
      if (object != null) {
        Parsed<?> checked = StrictState.checkSegment(listed.key(), name, object.body());
        if (checked == null) {
          tally.ignored++;
        } else {
          tally.parsed(checked, object, Finding.Action.MOVE, 0);
        }
      }
    }
    StoredObject head = tally.read(layout.headKey());
    if (head != null) {
      tally.parsed(StrictHead.parse(layout.headKey(), head.body()), head, Finding.Action.MOVE, 0);
    }
    // The content the state references, opened as every reader opens it.
    StrictState state =
        new StrictLog(tally.store, tally.bucket, layout, (key, reason) -> {}).open().join();
    for (Map.Entry<String, StrictSlot> file : state.files().entrySet()) {
      String version = file.getValue().contentVersion();
      String dbKey = CausalLayout.dbKey(tally.bucket, file.getKey());
      String reason = dbKey == null ? null : layout.reservedReason(dbKey);
      if (dbKey != null && reason != null) {
        tally.reserved(dbKey, version, manifestKey, reason);
      } else if (version != null) {
        tally.content(file.getKey(), version);
      }
    }
  }
}
