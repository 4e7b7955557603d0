package io.mps3.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An answer's headers, in the order set, and its status line: what {@link BlockingExchange} writes
 * before the body. Names are matched ignoring case and kept as set. A name must be a token and a
 * value may hold no CR, LF or other control character (HT aside), so no header can end the head
 * early or add one (response splitting).
 *
 * <p>A value is written byte for byte when all its characters are below U+0100 (a store's answer
 * header, which the upstream client read as ISO-8859-1, goes out as the store sent it), else as
 * UTF-8.
 */
final class AnswerHead {

  private final List<String> names = new ArrayList<>(12);
  private final List<String> values = new ArrayList<>(12);

  /** Replaces every header of this name with one, where the first of them was. */
  void set(String name, String value) {
    check(name, value);
    int first = -1;
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equalsIgnoreCase(name)) {
        if (first >= 0) {
          names.remove(first);
          values.remove(first);
        }
        first = i;
      }
    }
    if (first < 0) {
      names.add(name);
      values.add(value);
    } else {
      names.set(first, name);
      values.set(first, value);
    }
  }

  /** Adds a header after all set so far. */
  void add(String name, String value) {
    check(name, value);
    names.add(name);
    values.add(value);
  }

  /** Removes every header of this name. */
  void remove(String name) {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equalsIgnoreCase(name)) {
        names.remove(i);
        values.remove(i);
      }
    }
  }

  /** The first value of a header, or null. */
  @Nullable String get(String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return values.get(i);
      }
    }
    return null;
  }

  /** Every value of a header, comma-separated lists split and trimmed, in order. */
  List<String> all(String name) {
    List<String> found = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        for (String part : values.get(i).split(",", -1)) {
          found.add(part.trim());
        }
      }
    }
    return found;
  }

  /** Whether any header of this name lists {@code token} (comma-separated, ignoring case). */
  boolean hasToken(String name, String token) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        for (String part : values.get(i).split(",", -1)) {
          if (part.trim().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Forgets every header. */
  void clear() {
    names.clear();
    values.clear();
  }

  /** The status line, the headers and the empty line that ends them. */
  byte[] encode(int status) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 48 * names.size());
    ascii(out, "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n");
    for (int i = 0; i < names.size(); i++) {
      ascii(out, names.get(i));
      out.write(':');
      out.write(' ');
      String value = values.get(i);
      byte[] bytes =
          below(value, 0x100)
              ? value.getBytes(StandardCharsets.ISO_8859_1)
              : value.getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
      out.write('\r');
      out.write('\n');
    }
    out.write('\r');
    out.write('\n');
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    out.write(bytes, 0, bytes.length);
  }

  private static void check(String name, String value) {
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    if (!below(name, 0x80) || !RequestHead.isToken(bytes, 0, bytes.length)) {
      // Not the name itself: it may hold a line end, which would forge a line in the log.
      throw new IllegalArgumentException("an answer header name that is not a token");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new IllegalArgumentException("a control character in the answer header " + name);
      }
    }
  }

  /** Whether every character of {@code s} is below {@code limit}. */
  private static boolean below(String s, int limit) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= limit) {
        return false;
      }
    }
    return true;
  }

  /** The standard reason phrase of a status (RFC 9110 15), or an empty one. */
  static String reasonPhrase(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 416 -> "Range Not Satisfiable";
      case 417 -> "Expectation Failed";
      case 422 -> "Unprocessable Content";
      case 428 -> "Precondition Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "";
    };
  }
}
