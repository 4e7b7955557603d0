package io.mps3.internal.s3;

import io.mps3.spi.ObjectMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads the XML documents S3 answers with, through the JDK's StAX parser, with DTDs and external
 * entities refused. A document that cannot be read throws {@link MalformedXmlException} with a
 * short excerpt of it.
 */
public final class S3Xml {

  /** A listing page as S3 sent it, keys already decoded. */
  public record ListResult(
      List<ObjectMetadata> objects, boolean truncated, @Nullable String nextContinuationToken) {}

  /** The fields of an S3 error document; each may be null. */
  public record ErrorDocument(
      @Nullable String code, @Nullable String message, @Nullable String requestId) {}

  /** The document could not be read. */
  public static final class MalformedXmlException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedXmlException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  private static final XMLInputFactory FACTORY = newFactory();

  private S3Xml() {}

  private static XMLInputFactory newFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    return factory;
  }

  /**
   * Reads a ListObjectsV2 result asked for with {@code encoding-type=url}.
   *
   * @throws MalformedXmlException when it is not such a document
   */
  public static ListResult parseList(byte[] xml) throws MalformedXmlException {
    List<Map<String, String>> contents = new ArrayList<>();
    Map<String, String> top = new HashMap<>();
    boolean sawRoot = false;
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        while (reader.hasNext()) {
          if (reader.next() != XMLStreamConstants.START_ELEMENT) {
            continue;
          }
          String name = reader.getLocalName();
          if (name.equals("ListBucketResult")) {
            sawRoot = true;
          } else if (name.equals("Contents")) {
            contents.add(fields(reader, "Contents"));
          } else if (name.equals("CommonPrefixes")) {
            fields(reader, "CommonPrefixes");
          } else if (sawRoot) {
            String text = simpleText(reader);
            if (text != null) {
              top.put(name, text);
            }
          }
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      throw malformed("ListObjectsV2 response", xml, e);
    }
    if (!sawRoot) {
      throw malformed("ListObjectsV2 response (no ListBucketResult)", xml, null);
    }
    // Keys are encoded only when the server says so; one that ignored encoding-type sends raw keys.
    boolean encoded = "url".equalsIgnoreCase(top.getOrDefault("EncodingType", "").trim());
    List<ObjectMetadata> objects = new ArrayList<>(contents.size());
    for (Map<String, String> fields : contents) {
      objects.add(contents(fields, encoded, xml));
    }
    boolean truncated = "true".equals(top.get("IsTruncated"));
    String token = top.get("NextContinuationToken");
    if (truncated && (token == null || token.isEmpty())) {
      throw malformed(
          "ListObjectsV2 response (truncated, without a continuation token)", xml, null);
    }
    return new ListResult(objects, truncated, truncated ? token : null);
  }

  /** Reads an S3 error document; a body that is not one gives an all-null result. */
  public static ErrorDocument parseError(byte[] xml) {
    Map<String, String> fields = new HashMap<>();
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        while (reader.hasNext()) {
          if (reader.next() == XMLStreamConstants.START_ELEMENT
              && !reader.getLocalName().equals("Error")) {
            String name = reader.getLocalName();
            String text = simpleText(reader);
            if (text != null) {
              fields.putIfAbsent(name, text);
            }
          }
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      // Not XML (a proxy's HTML page, an empty body): the status alone must do.
    }
    return new ErrorDocument(fields.get("Code"), fields.get("Message"), fields.get("RequestId"));
  }

  /**
   * Reads a GetBucketCors answer: each {@code <CORSRule>} as a map of element name to its values
   * (AllowedOrigin, AllowedMethod, AllowedHeader, ExposeHeader).
   */
  public static List<Map<String, List<String>>> parseCors(byte[] xml) throws MalformedXmlException {
    List<Map<String, List<String>>> rules = new ArrayList<>();
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        Map<String, List<String>> rule = null;
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            String name = reader.getLocalName();
            if (name.equals("CORSRule")) {
              rule = new HashMap<>();
              rules.add(rule);
            } else if (rule != null) {
              String text = simpleText(reader);
              if (text != null) {
                rule.computeIfAbsent(name, k -> new ArrayList<>()).add(text.trim());
              }
            }
          }
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      throw malformed("GetBucketCors response", xml, e);
    }
    return rules;
  }

  /** Reads {@code <VersioningConfiguration><Status>}: "Enabled", "Suspended", or null. */
  public static @Nullable String parseVersioningStatus(byte[] xml) throws MalformedXmlException {
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        while (reader.hasNext()) {
          if (reader.next() == XMLStreamConstants.START_ELEMENT
              && reader.getLocalName().equals("Status")) {
            return simpleText(reader);
          }
        }
        return null;
      } finally {
        reader.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      throw malformed("GetBucketVersioning response", xml, e);
    }
  }

  /**
   * Reads the simple child elements of the element the reader is in, up to its end. Children that
   * have children of their own ({@code <Owner>}) are skipped.
   */
  private static Map<String, String> fields(XMLStreamReader reader, String element)
      throws XMLStreamException {
    Map<String, String> fields = new HashMap<>();
    while (reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        String name = reader.getLocalName();
        String text = simpleText(reader);
        if (text != null) {
          fields.put(name, text);
        }
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        return fields;
      }
    }
    throw new XMLStreamException("unterminated <" + element + ">");
  }

  /**
   * The text of the element the reader is at, or null if it has child elements; reads to its end.
   */
  private static @Nullable String simpleText(XMLStreamReader reader) throws XMLStreamException {
    StringBuilder text = new StringBuilder();
    boolean nested = false;
    int depth = 1;
    while (depth > 0) {
      if (!reader.hasNext()) {
        throw new XMLStreamException("unterminated <" + reader.getLocalName() + ">");
      }
      int event = reader.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        nested = true;
        depth++;
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      } else if (depth == 1
          && (event == XMLStreamConstants.CHARACTERS
              || event == XMLStreamConstants.CDATA
              || event == XMLStreamConstants.SPACE
              || event == XMLStreamConstants.ENTITY_REFERENCE)) {
        text.append(reader.getText());
      }
    }
    return nested ? null : text.toString();
  }

  private static ObjectMetadata contents(Map<String, String> fields, boolean encoded, byte[] xml)
      throws MalformedXmlException {
    String key = fields.get("Key");
    String lastModified = fields.get("LastModified");
    if (key == null || lastModified == null) {
      throw malformed("ListObjectsV2 response (an entry without Key or LastModified)", xml, null);
    }
    try {
      String etag = unquote(fields.getOrDefault("ETag", ""));
      long size = Long.parseLong(fields.getOrDefault("Size", "0").trim());
      return new ObjectMetadata(
          encoded ? S3Encoding.urlDecode(key) : key,
          etag,
          Instant.parse(lastModified.trim()),
          size,
          null);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw malformed("ListObjectsV2 response (entry " + key + ")", xml, e);
    }
  }

  /**
   * Strips the quotes of an ETag: {@code "abc"} becomes {@code abc}. In XML the quotes arrive
   * escaped as entities; the parser has decoded them by the time this runs.
   */
  public static String unquote(String etag) {
    String trimmed = etag.trim();
    if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
      return trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed;
  }

  private static MalformedXmlException malformed(
      String what, byte[] xml, @Nullable Throwable cause) {
    String reason = cause == null ? "" : ": " + cause.getMessage();
    return new MalformedXmlException(
        "malformed " + what + reason + "; body starts: " + excerpt(xml), cause);
  }

  /** The first 120 characters of a body, with control characters escaped. */
  public static String excerpt(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length() && i < 120; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    if (body.length > 120) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
