package io.mps3.internal.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.content.ExactJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The offline journal of one client: every write is made durable in a local directory before it is
 * acknowledged, and its file is deleted once the bucket holds it in every manifest it names. After
 * a crash, a client opening the same directory sends what is left, in order, exactly once (see
 * design record 0003).
 *
 * <p>Files, each written to a temporary name, fsynced, renamed atomically, and the directory
 * fsynced:
 *
 * <ul>
 *   <li>{@code w-<seq>.json}: one write: {@code {"format":1, "op", "seq", "manifests": [..],
 *       "writes": [{"key", "value"} | {"key", "deleted": true}, ..]}}; {@code seq} (20 digits in
 *       the name) is the order writes were made;
 *   <li>{@code e-<n>.json}: an entry about to be sent: {@code {"format":1, "manifest", "entry",
 *       "writes": [seq, ..]}}, written before the entry's PUT, so a restarted client can ask the
 *       store whether it landed;
 *   <li>{@code lock}: held ({@link FileChannel#tryLock}) while a client has the journal open.
 * </ul>
 *
 * <p>Deletion order keeps it exact: a write's file goes first (and the directory is fsynced), the
 * entry files naming it after, so a write file never outlives the record of the entries it was
 * tried in. Thread-safe: one lock, held during file I/O (writes are serialised by fsync anyway).
 */
public final class WriteJournal {

  private static final System.Logger LOG = System.getLogger(WriteJournal.class.getName());
  private static final int FORMAT = 1;

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  // Numbers exactly as written: a journalled value is replayed as it was put (ExactJson).
  private final ObjectMapper mapper = ExactJson.mapper();
  private final List<JournalRecord> recovered = new ArrayList<>();
  private final Map<Long, List<Path>> entryFilesBySeq = new HashMap<>();
  private final Map<Path, Set<Long>> seqsByEntryFile = new HashMap<>();
  private long nextSeq = 1;
  private long nextEntryFile = 1;
  private boolean closed;

  private WriteJournal(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating it if needed) and locks a journal directory, and reads the writes it holds.
   *
   * @throws Mps3Exception {@code INVALID} when another client holds the directory or it cannot be
   *     used, {@code CORRUPT} when a journal file cannot be read
   */
  public static WriteJournal open(Path directory) {
    Path dir = directory.toAbsolutePath();
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock held;
      try {
        held = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        held = null;
      }
      if (held == null) {
        throw new Mps3Exception(
            ErrorKind.INVALID,
            "the journal directory "
                + dir
                + " is in use by another MPS3 client (its lock file "
                + dir.resolve("lock")
                + " is held); give each client its own journal directory",
            null);
      }
      WriteJournal journal = new WriteJournal(dir, channel, held);
      channel = null;
      try {
        journal.load();
      } catch (RuntimeException | IOException e) {
        journal.close();
        throw e;
      }
      return journal;
    } catch (IOException e) {
      throw new Mps3Exception(
          ErrorKind.INVALID, "cannot open the journal directory " + dir + ": " + e, e);
    } finally {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // nothing held: nothing to release
        }
      }
    }
  }

  /** The directory. */
  public Path directory() {
    return dir;
  }

  /** The writes found at open, not yet confirmed by the bucket, in the order they were made. */
  public synchronized List<JournalRecord> recovered() {
    return List.copyOf(recovered);
  }

  /**
   * Makes a write durable and returns its record; only then may it be acknowledged.
   *
   * @throws Mps3Exception {@code UNAVAILABLE} when the file cannot be written, {@code CLOSED} after
   *     {@link #close}
   */
  public synchronized JournalRecord append(
      List<String> manifests, Map<String, @Nullable JsonNode> values) {
    checkOpen();
    long seq = nextSeq++;
    String op = UUID.randomUUID().toString();
    ObjectNode body = mapper.createObjectNode();
    body.put("format", FORMAT).put("op", op).put("seq", seq);
    ArrayNode names = body.putArray("manifests");
    manifests.forEach(names::add);
    ArrayNode writes = body.putArray("writes");
    values.forEach(
        (key, value) -> {
          ObjectNode write = writes.addObject().put("key", key);
          if (value == null) {
            write.put("deleted", true);
          } else {
            write.set("value", value);
          }
        });
    Path file = dir.resolve(String.format("w-%020d.json", seq));
    writeDurably(file, body, "the write");
    return new JournalRecord(seq, op, file, List.copyOf(manifests), values, Map.of());
  }

  /**
   * Records, durably, that an entry with key {@code entryKey} of {@code manifest} is about to be
   * sent for these writes.
   */
  public void tryingEntry(String manifest, String entryKey, List<JournalRecord> records) {
    CrashPoints.reach("content-stored");
    recordEntry(manifest, entryKey, records);
    CrashPoints.reach("entry-recorded");
  }

  private synchronized void recordEntry(
      String manifest, String entryKey, List<JournalRecord> records) {
    checkOpen();
    ObjectNode body = mapper.createObjectNode();
    body.put("format", FORMAT).put("manifest", manifest).put("entry", entryKey);
    ArrayNode seqs = body.putArray("writes");
    Path file = dir.resolve(String.format("e-%020d.json", nextEntryFile++));
    Set<Long> named = new HashSet<>();
    for (JournalRecord record : records) {
      seqs.add(record.seq);
      named.add(record.seq);
    }
    writeDurably(file, body, "the entry key " + entryKey);
    seqsByEntryFile.put(file, named);
    named.forEach(seq -> entryFilesBySeq.computeIfAbsent(seq, s -> new ArrayList<>()).add(file));
  }

  /**
   * The bucket holds these writes in {@code manifest}: a write held in all its manifests is deleted
   * from the journal. A file that cannot be deleted is left for the next open, which finds its
   * entry in the bucket and does not send it again.
   */
  public void committed(String manifest, List<JournalRecord> records) {
    CrashPoints.reach("entry-written");
    forget(manifest, records);
  }

  private synchronized void forget(String manifest, List<JournalRecord> records) {
    if (closed) {
      return; // the next client to open the journal settles them
    }
    List<Path> emptied = new ArrayList<>();
    boolean deleted = false;
    for (JournalRecord record : records) {
      record.committed.add(manifest);
      if (!record.committed.containsAll(record.manifests)) {
        continue;
      }
      try {
        Files.deleteIfExists(record.file);
        deleted = true;
      } catch (IOException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "MPS3: cannot delete " + record + ", which the bucket holds: " + e);
        continue;
      }
      for (Path entryFile : entryFilesBySeq.getOrDefault(record.seq, List.of())) {
        Set<Long> seqs = seqsByEntryFile.get(entryFile);
        if (seqs != null && seqs.remove(record.seq) && seqs.isEmpty()) {
          seqsByEntryFile.remove(entryFile);
          emptied.add(entryFile);
        }
      }
      entryFilesBySeq.remove(record.seq);
    }
    if (deleted) {
      syncDirectory();
    }
    for (Path entryFile : emptied) {
      try {
        Files.deleteIfExists(entryFile);
      } catch (IOException e) {
        // Names only writes that are gone: the next open deletes it.
      }
    }
  }

  /** Releases the directory; writes not yet in the bucket stay in it for the next client. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "MPS3: cannot release the journal lock of " + dir, e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new Mps3Exception(ErrorKind.CLOSED, "the journal " + dir + " is closed", null);
    }
  }

  // -- reading at open --------------------------------------------------------------------------

  private void load() throws IOException {
    TreeMap<String, Path> writes = new TreeMap<>();
    TreeMap<String, Path> entries = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(file); // never renamed: its write was never acknowledged
        } else if (name.startsWith("w-") && name.endsWith(".json")) {
          writes.put(name, file);
        } else if (name.startsWith("e-") && name.endsWith(".json")) {
          entries.put(name, file);
        }
      }
    }
    Map<Long, Map<String, List<String>>> tried = new HashMap<>();
    Map<Long, Path> writeFiles = new LinkedHashMap<>();
    for (Path file : writes.values()) {
      long seq = read(file).path("seq").asLong(-1);
      if (seq < 1) {
        throw corrupt(file, "no sequence number");
      }
      writeFiles.put(seq, file);
      nextSeq = Math.max(nextSeq, seq + 1);
    }
    for (Path file : entries.values()) {
      JsonNode body = read(file);
      String manifest = body.path("manifest").asText("");
      String entry = body.path("entry").asText("");
      Set<Long> named = new HashSet<>();
      for (JsonNode seq : body.path("writes")) {
        if (writeFiles.containsKey(seq.asLong())) {
          named.add(seq.asLong());
          tried
              .computeIfAbsent(seq.asLong(), s -> new HashMap<>())
              .computeIfAbsent(manifest, m -> new ArrayList<>())
              .add(entry);
          entryFilesBySeq.computeIfAbsent(seq.asLong(), s -> new ArrayList<>()).add(file);
        }
      }
      String name = file.getFileName().toString();
      nextEntryFile = Math.max(nextEntryFile, Long.parseLong(name.substring(2, 22)) + 1);
      if (named.isEmpty()) {
        Files.deleteIfExists(file); // its writes are all in the bucket
      } else {
        seqsByEntryFile.put(file, named);
      }
    }
    for (Map.Entry<Long, Path> write : writeFiles.entrySet()) {
      recovered.add(parseWrite(write.getValue(), tried.getOrDefault(write.getKey(), Map.of())));
    }
  }

  private JournalRecord parseWrite(Path file, Map<String, List<String>> tried) throws IOException {
    JsonNode body = read(file);
    List<String> manifests = new ArrayList<>();
    body.path("manifests").forEach(m -> manifests.add(m.asText()));
    Map<String, @Nullable JsonNode> values = new LinkedHashMap<>();
    for (JsonNode write : body.path("writes")) {
      String key = write.path("key").asText(null);
      if (key == null || (!write.has("value") && !write.path("deleted").asBoolean())) {
        throw corrupt(file, "a write without key or value: " + write);
      }
      values.put(key, write.path("deleted").asBoolean() ? null : write.get("value"));
    }
    if (manifests.isEmpty() || values.isEmpty()) {
      throw corrupt(file, "no manifest or no value");
    }
    return new JournalRecord(
        body.path("seq").asLong(), body.path("op").asText(""), file, manifests, values, tried);
  }

  private JsonNode read(Path file) throws IOException {
    JsonNode body;
    try {
      body = mapper.readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw corrupt(file, "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (body == null || !body.isObject()) {
      throw corrupt(file, "not a JSON object");
    }
    if (body.path("format").asInt(0) != FORMAT) {
      throw corrupt(file, "format " + body.path("format") + ", this client reads " + FORMAT);
    }
    return body;
  }

  private Mps3Exception corrupt(Path file, String problem) {
    return new Mps3Exception(
        ErrorKind.CORRUPT,
        "journal file "
            + file
            + " is unreadable: "
            + problem
            + "; it may hold a write the bucket does not have yet, so the journal was not opened"
            + " (inspect the file, then move it away to open the journal)",
        null);
  }

  // -- writing files ----------------------------------------------------------------------------

  private void writeDurably(Path file, JsonNode body, String what) {
    try {
      JournalFiles.writeDurably(dir, file, mapper.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new Mps3Exception(
          ErrorKind.UNAVAILABLE, "cannot journal " + what + " in " + dir + ": " + e, e);
    }
  }

  private void syncDirectory() {
    JournalFiles.syncDirectory(dir);
  }
}
