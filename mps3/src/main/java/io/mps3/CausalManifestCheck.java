package io.mps3;

import io.mps3.ManifestCheck.Finding;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalEntry;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalSettings;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.StoredObject;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The check of a causal manifest {@code M} (PROTOCOL.md part A).
 *
 * <p>What is garbage under {@code M@}: a name shaped like an entry ({@code
 * <digits>_<session>_<counter>} in {@code [0-9a-z]}, the JavaScript client's pattern) that is no
 * valid entry name, such as {@code M@2bmrrbt9z_zzzzzzzzzz_vv} (issue #16), and a validly named
 * entry whose body is no entry. Everything else under the prefix is a user's object (a key {@code
 * M@x}, its content {@code M@x@<uuid>}: issue #18) and is never touched; so are skewed entries,
 * which are valid, ignored by readers and removed by autoclean.
 */
final class CausalManifestCheck {

  /** An entry's shape as the JavaScript client matches it: its digits are not checked. */
  private static final Pattern ENTRY_SHAPED = Pattern.compile("[0-9a-z]+_[0-9a-z]+_[0-9a-z]{2}");

  private CausalManifestCheck() {}

  static void run(ManifestCheck.Tally tally, String manifestKey) {
    CausalLayout layout = new CausalLayout(manifestKey);
    CausalSettings settings = CausalSettings.defaults();
    for (ObjectMetadata listed :
        tally.store.listAll(tally.bucket, layout.entryPrefix(), null).join()) {
      String key = listed.key();
      Parsed<CausalLayout.EntryKey> name = layout.parseEntryKey(key);
      if (name instanceof Parsed.Invalid<CausalLayout.EntryKey> invalid) {
        if (ENTRY_SHAPED.matcher(key.substring(layout.entryPrefix().length())).matches()) {
          tally.findings.add(
              new Finding(key, invalid.reason(), Finding.Action.MOVE, listed.etag(), 0));
        } else {
          tally.ignored++; // not an entry: a user's object named like the manifest
        }
        continue;
      }
      long time = ((Parsed.Valid<CausalLayout.EntryKey>) name).value().time();
      if (Math.abs(time - listed.lastModified().toEpochMilli()) >= settings.window().toMillis()) {
        tally.ignored++; // skewed: valid, ignored by every reader, cleaned by autoclean
        continue;
      }
      if (listed.size() > settings.maxEntryBytes()) {
        // Java readers skip it, the JavaScript client may read it: not garbage, only reported.
        tally.findings.add(
            new Finding(
                key,
                "entry of "
                    + listed.size()
                    + " bytes is over the readers' limit of "
                    + settings.maxEntryBytes(),
                Finding.Action.NONE,
                null,
                0));
        continue;
      }
      if (tally.entryBytes < 0) {
        tally.entryBytes = listed.size(); // listed newest first: the newest valid entry
      }
      StoredObject object = tally.read(key);
      if (object != null) {
        tally.parsed(CausalEntry.parse(key, object.body()), object, Finding.Action.MOVE, 0);
      }
    }
    // The content the resolved state references, resolved exactly as `mps3 log` does.
    Map<String, String> state = ManifestLog.read(tally.store, tally.bucket, manifestKey, 0).state();
    tally.keys = state.size();
    for (Map.Entry<String, String> file : state.entrySet()) {
      String dbKey = CausalLayout.dbKey(tally.bucket, file.getKey());
      String reason = dbKey == null ? null : layout.reservedReason(dbKey);
      if (dbKey != null && reason != null) {
        tally.reserved(dbKey, file.getValue(), manifestKey, reason);
      } else {
        tally.content(file.getKey(), file.getValue());
      }
    }
  }
}
