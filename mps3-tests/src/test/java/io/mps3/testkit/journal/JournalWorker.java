package io.mps3.testkit.journal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.WriteOptions;
import io.mps3.internal.journal.CrashPointsForTests;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.Futures;
import io.mps3.testkit.S3ProxyServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A separate process for {@link JournalCrashTest}: a client on a local directory store with a
 * journal. Prints one line per event on standard output, flushed at once, so the parent knows what
 * was acknowledged before it killed the process.
 *
 * <p>{@code STORE} is a local directory, or an S3 endpoint ({@code http://...}, with S3Proxy's test
 * credentials); {@code BUCKET} must exist.
 *
 * <ul>
 *   <li>{@code write STORE BUCKET JOURNAL FROM COUNT}: puts {@code start/<FROM>} acknowledged by
 *       the bucket (so the second pass of an entry's crash points is always an entry of {@code w/}
 *       writes: without it, a slow open let all the writes share the first entry, and the second
 *       pass never came); then {@code w/<i> = i} for {@code i} in {@code [FROM, FROM + COUNT)},
 *       each acknowledged locally, printing {@code acked <i>}; then a put acknowledged by the
 *       bucket, and {@code landed}. Under {@code -Dmps3.test.crashAt} it blocks at that point
 *       (printing {@code mps3-crash-point ...}) until killed.
 *   <li>{@code recover STORE BUCKET JOURNAL UPTO}: opens the journal while the store refuses
 *       writes, reads {@code w/<i>} for {@code i < UPTO}, printing {@code seen <i> <value>}, then
 *       lets writes through, puts a marker acknowledged by the bucket (it lands after every
 *       journaled write) and prints {@code landed}.
 * </ul>
 */
public final class JournalWorker {

  private JournalWorker() {}

  /** See the class comment. */
  public static void main(String[] args) {
    CrashPointsForTests.installFromProperty();
    PrintStream out = System.out;
    String mode = args[0];
    ObjectStore inner =
        args[1].startsWith("http")
            ? S3ObjectStore.builder()
                .endpoint(URI.create(args[1]))
                .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                .build()
            : ObjectStores.localDirectory(Path.of(args[1]));
    String bucket = args[2];
    Path journal = Path.of(args[3]);
    SwitchableStore store = new SwitchableStore(inner);
    if (mode.equals("recover")) {
      store.set(SwitchableStore.Mode.WRITES_DOWN);
    }
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder()
                .store(store)
                .bucket(bucket)
                .journal(journal)
                .disableAutoclean()
                .pollInterval(Duration.ofMillis(50))
                .build());
    if (mode.equals("write")) {
      int from = Integer.parseInt(args[4]);
      int count = Integer.parseInt(args[5]);
      Futures.await(client.put("start/" + from, true));
      WriteOptions local = WriteOptions.defaults().acknowledgedLocally();
      for (int i = from; i < from + count; i++) {
        Futures.await(client.put("w/" + i, i, local));
        out.println("acked " + i);
        out.flush();
      }
    } else {
      int upTo = Integer.parseInt(args[4]);
      for (int i = 0; i < upTo; i++) {
        Optional<JsonNode> value = Futures.await(client.get("w/" + i));
        if (value.isPresent()) {
          out.println("seen " + i + " " + value.get());
        }
      }
      out.println("refused writes " + store.refusedWrites.get());
      store.set(SwitchableStore.Mode.UP);
    }
    client.put("end/" + mode, true).orTimeout(120, TimeUnit.SECONDS).join();
    out.println("landed");
    out.flush();
    client.close();
    store.close();
  }
}
