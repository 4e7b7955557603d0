package io.mps3.gateway;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The keys of a {@code DeleteObjects} request body ({@code <Delete><Object><Key>...}), read
 * strictly: the gateway checks these keys and forwards the very bytes it read, so the store must
 * not be able to read other keys from them. Anything a less careful parser could read differently
 * is refused as malformed: a DTD or entity declaration, comments, processing instructions and CDATA
 * sections, attributes, elements S3 does not define or in another namespace, a repeated element, an
 * encoding other than UTF-8, invalid UTF-8. Thread-safe (stateless).
 */
final class DeleteObjectsBody {

  /** S3's limit on the objects of one request, and ours: more is {@code MalformedXML} there too. */
  static final int MAX_OBJECTS = 1000;

  private static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  /** The elements S3 defines inside {@code <Object>}. */
  private static final Set<String> OBJECT_FIELDS =
      Set.of("Key", "VersionId", "ETag", "LastModifiedTime", "Size");

  private static final XMLInputFactory FACTORY = factory();

  /** The body is not a well-formed {@code Delete} document, or one read too loosely to trust. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private DeleteObjectsBody() {}

  /**
   * The keys the body names, in order (a key may repeat, as S3 allows).
   *
   * @throws Malformed when the body is not a {@code Delete} document read as strictly as above, or
   *     names no object or more than {@link #MAX_OBJECTS}
   */
  static List<String> keys(byte[] body) throws Malformed {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("the body is not UTF-8");
    }
    try {
      XMLStreamReader xml = FACTORY.createXMLStreamReader(new StringReader(text));
      try {
        return read(xml);
      } finally {
        xml.close();
      }
    } catch (XMLStreamException e) {
      throw new Malformed("the body is not well-formed XML");
    }
  }

  private static List<String> read(XMLStreamReader xml) throws XMLStreamException, Malformed {
    String encoding = xml.getCharacterEncodingScheme();
    if (encoding != null && !encoding.toUpperCase(Locale.ROOT).equals("UTF-8")) {
      throw new Malformed("the body declares the encoding " + encoding + ", not UTF-8");
    }
    String version = xml.getVersion();
    if (version != null && !version.equals("1.0")) {
      // XML 1.1 turns U+0085 and U+2028 into line ends: a store reading it as 1.0 would see
      // other keys than the gateway checked.
      throw new Malformed("the body declares XML " + version + ", not 1.0");
    }
    startOf(xml, "Delete");
    List<String> keys = new ArrayList<>();
    boolean quiet = false;
    while (next(xml) == XMLStreamConstants.START_ELEMENT) {
      String name = element(xml);
      if (name.equals("Quiet") && !quiet) {
        quiet = true;
        String value = text(xml);
        if (!value.equals("true") && !value.equals("false")) {
          throw new Malformed("Quiet must be true or false");
        }
      } else if (name.equals("Object")) {
        if (keys.size() == MAX_OBJECTS) {
          throw new Malformed("more than " + MAX_OBJECTS + " objects in one request");
        }
        keys.add(object(xml));
      } else {
        throw new Malformed("unexpected element " + name + " in Delete");
      }
    }
    if (keys.isEmpty()) {
      throw new Malformed("the request names no Object");
    }
    // After </Delete>: only whitespace may follow (the reader refuses a second root itself).
    while (xml.hasNext()) {
      int event = xml.next();
      if (event != XMLStreamConstants.SPACE
          && event != XMLStreamConstants.END_DOCUMENT
          && !(event == XMLStreamConstants.CHARACTERS && xml.isWhiteSpace())) {
        throw new Malformed("something follows the Delete element");
      }
    }
    return keys;
  }

  /** An {@code <Object>}'s key, its other fields checked for form only. */
  private static String object(XMLStreamReader xml) throws XMLStreamException, Malformed {
    Set<String> seen = new HashSet<>();
    String key = null;
    while (next(xml) == XMLStreamConstants.START_ELEMENT) {
      String name = element(xml);
      if (!OBJECT_FIELDS.contains(name) || !seen.add(name)) {
        throw new Malformed("unexpected or repeated element " + name + " in Object");
      }
      String value = text(xml);
      if (name.equals("Key")) {
        key = value;
      }
    }
    if (key == null || key.isEmpty()) {
      throw new Malformed("an Object has no Key");
    }
    return key;
  }

  private static void startOf(XMLStreamReader xml, String expected)
      throws XMLStreamException, Malformed {
    if (next(xml) != XMLStreamConstants.START_ELEMENT || !element(xml).equals(expected)) {
      throw new Malformed("the document is not a " + expected + " element");
    }
  }

  /**
   * The next start or end element, past whitespace between elements; anything else (text outside a
   * value, a comment, a DTD) is refused.
   */
  private static int next(XMLStreamReader xml) throws XMLStreamException, Malformed {
    while (true) {
      int event = xml.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
          return event;
        }
        case XMLStreamConstants.SPACE -> {}
        case XMLStreamConstants.CHARACTERS -> {
          if (!xml.isWhiteSpace()) {
            throw new Malformed("text outside an element's value");
          }
        }
        default -> throw new Malformed(refused(event));
      }
    }
  }

  /** The current start element's local name, once its namespace and attributes are checked. */
  private static String element(XMLStreamReader xml) throws Malformed {
    String namespace = xml.getNamespaceURI();
    if (namespace != null && !namespace.isEmpty() && !namespace.equals(S3_NAMESPACE)) {
      throw new Malformed("an element in the namespace " + namespace);
    }
    if (xml.getAttributeCount() > 0) {
      throw new Malformed("attributes on " + xml.getLocalName());
    }
    return xml.getLocalName();
  }

  /** A value element's text (character and entity references expanded), up to its end. */
  private static String text(XMLStreamReader xml) throws XMLStreamException, Malformed {
    StringBuilder value = new StringBuilder();
    while (true) {
      int event = xml.next();
      switch (event) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> value.append(xml.getText());
        case XMLStreamConstants.END_ELEMENT -> {
          return value.toString();
        }
        case XMLStreamConstants.START_ELEMENT ->
            throw new Malformed("an element inside " + xml.getLocalName() + "'s parent value");
        default -> throw new Malformed(refused(event));
      }
    }
  }

  private static String refused(int event) {
    return switch (event) {
      case XMLStreamConstants.COMMENT -> "a comment";
      case XMLStreamConstants.PROCESSING_INSTRUCTION -> "a processing instruction";
      case XMLStreamConstants.CDATA -> "a CDATA section";
      case XMLStreamConstants.DTD -> "a DTD";
      case XMLStreamConstants.ENTITY_REFERENCE -> "an entity reference";
      default -> "an unexpected XML event (" + event + ")";
    };
  }

  private static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    try { // the JDK's reader reports CDATA as text unless asked: ask, so it can be refused
      factory.setProperty("http://java.sun.com/xml/stream/properties/report-cdata-event", true);
    } catch (IllegalArgumentException e) {
      // Another StAX implementation: it reports CDATA events by default.
    }
    return factory;
  }
}
