package io.mps3.internal.store;

import io.mps3.internal.util.Md5;
import io.mps3.spi.PutOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The file work of the local directory store that needs no store state: consistent reads of a file
 * and its time, preconditions, atomic and durable renames, and listing keys by walking directories.
 */
final class LocalFiles {

  private LocalFiles() {}

  record Listed(String key, Path file) {}

  static final class Snapshot {
    final byte[] body;
    final Instant lastModified;

    Snapshot(byte[] body, Instant lastModified) {
      this.body = body;
      this.lastModified = lastModified;
    }
  }

  /**
   * Reads a file and the time it was written, as one consistent pair: the file's identity and
   * modification time are read before and after the body, and the read is repeated if a writer
   * replaced the file in between.
   */
  static @Nullable Snapshot read(Path file) throws IOException {
    for (int attempt = 0; ; attempt++) {
      BasicFileAttributes before;
      byte[] body;
      BasicFileAttributes after;
      try {
        before = Files.readAttributes(file, BasicFileAttributes.class);
        if (!before.isRegularFile()) {
          return null;
        }
        body = Files.readAllBytes(file);
        after = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        return null;
      }
      boolean same =
          Objects.equals(before.fileKey(), after.fileKey())
              && before.lastModifiedTime().equals(after.lastModifiedTime())
              && before.size() == after.size()
              && after.size() == body.length;
      if (same) {
        return new Snapshot(body, Instant.ofEpochMilli(after.lastModifiedTime().toMillis()));
      }
      if (attempt == 100) {
        throw new IOException(file + " kept changing while it was read, 100 times in a row");
      }
    }
  }

  static boolean preconditionHolds(Path file, PutOptions options) throws IOException {
    if (options.requireAbsent()) {
      return !Files.exists(file);
    }
    Snapshot current = read(file);
    return current != null && Md5.hex(current.body).equals(options.ifMatch());
  }

  static void moveAtomically(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + file + " cannot rename atomically", e);
    }
    // Every object file lies under its bucket's directory, so it always has a parent.
    syncDirectory(Objects.requireNonNull(file.getParent(), "parent"));
  }

  /** Makes a rename durable; a platform that cannot open directories (Windows) skips this. */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not supported here: the rename is still atomic, only its durability is the OS's.
    }
  }

  /**
   * Collects the keys under a directory that start with {@code prefix}. Names are decoded and
   * filtered before anything else is read, so a listing costs one directory read plus the files it
   * returns, however many other keys the bucket holds.
   */
  static void collect(Path dir, List<String> segments, String prefix, List<Listed> into)
      throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        segments.add(name);
        if (name.endsWith(String.valueOf(FileNames.SEGMENT_MARK))) {
          // Only segment directories end with the mark; descend only where the prefix may lead.
          String partial = FileNames.decodePartial(segments);
          if (partial == null || partial.startsWith(prefix) || prefix.startsWith(partial)) {
            collect(entry, segments, prefix, into);
          }
        } else {
          String key = FileNames.decode(segments);
          if (key != null && key.startsWith(prefix)) {
            into.add(new Listed(key, entry));
          }
        }
        segments.remove(segments.size() - 1);
      }
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      // A bucket nobody wrote yet is empty.
    }
  }
}
