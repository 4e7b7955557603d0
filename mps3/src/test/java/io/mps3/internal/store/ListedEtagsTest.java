package io.mps3.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.internal.util.Md5;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local directory's listings keep the ETags they computed (ListedEtags) and still give every
 * object's current MD5: after the store rewrites an object of the same size at the same store time,
 * after a delete and a new object of the same size, and after a person edits a file in place and
 * sets its modification time back.
 */
class ListedEtagsTest {

  @TempDir Path root;

  /** The store's clock never moves: modification times repeat, as with a manual clock in tests. */
  private final Clock fixed = Clock.fixed(Instant.parse("2026-12-08T12:00:00Z"), ZoneOffset.UTC);

  private final ListedEtags etags =
      new ListedEtags(Duration.ofMillis(200), System::currentTimeMillis);

  @Test
  void listings_keepSettledEtags_andAlwaysGiveTheCurrentBodysMd5() throws Exception {
    try (LocalDirectoryObjectStore store = LocalDirectoryObjectStore.open(root, fixed, etags)) {
      put(store, "a", "aaaa");
      put(store, "b", "bbbb");
      put(store, "c", "cccc");
      assertThat(listed(store)).isEqualTo(md5s(store));
      assertThat(etags.size()).as("files written just now are not kept").isZero();

      awaitKept(store, 3);
      put(store, "b", "BBBB"); // same size, same store time: a new file renamed over the old
      store.delete("bucket", "c").join();
      put(store, "c", "CCCC"); // a deleted file's inode may be taken again
      Path a = only(root.resolve("bucket"), "a");
      FileTime modified = Files.getLastModifiedTime(a);
      Files.write(a, "AAAA".getBytes(StandardCharsets.UTF_8)); // a person edits it in place
      Files.setLastModifiedTime(a, modified);

      Map<String, String> now = listed(store);
      assertThat(now)
          .containsEntry("a", md5("AAAA"))
          .containsEntry("b", md5("BBBB"))
          .containsEntry("c", md5("CCCC"));
      assertThat(now).isEqualTo(md5s(store));
      awaitKept(store, 3);
      assertThat(listed(store)).as("served from what was kept").isEqualTo(md5s(store));
    }
  }

  /** Lists until {@code count} ETags are kept (their files' change times settled), within 10 s. */
  private void awaitKept(LocalDirectoryObjectStore store, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (etags.size() < count && System.nanoTime() < deadline) {
      listed(store);
      Thread.sleep(50); // polls a condition (the files' ctimes ageing), with a deadline
    }
    assertThat(etags.size()).as("ETags kept").isEqualTo(count);
  }

  private static void put(LocalDirectoryObjectStore store, String key, String body) {
    store
        .put("bucket", key, body.getBytes(StandardCharsets.UTF_8), PutOptions.unconditional())
        .join();
  }

  private static Map<String, String> listed(LocalDirectoryObjectStore store) {
    Map<String, String> out = new TreeMap<>();
    for (ObjectMetadata o : store.list("bucket", ListRequest.prefix("")).join().objects()) {
      out.put(o.key(), o.etag());
    }
    return out;
  }

  /** The ETag a GET gives each listed key: the MD5 of the bytes it reads. */
  private static Map<String, String> md5s(LocalDirectoryObjectStore store) {
    Map<String, String> out = new TreeMap<>();
    for (String key : listed(store).keySet()) {
      GetResult.Found found = (GetResult.Found) store.get("bucket", key).join();
      out.put(key, Md5.hex(found.object().body()));
    }
    return out;
  }

  private static String md5(String body) {
    return Md5.hex(body.getBytes(StandardCharsets.UTF_8));
  }

  private static Path only(Path dir, String name) {
    Path file = dir.resolve(name);
    assertThat(file).isRegularFile();
    return file;
  }
}
