package io.mps3.gateway;

import java.io.StringWriter;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An XML answer the gateway writes itself (S3 errors, STS results and errors): status, body, and
 * the request id it carries. Built with StAX, so every value is escaped. Immutable.
 *
 * @param status the HTTP status
 * @param xml the body
 */
record XmlAnswer(int status, String xml) {

  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  /**
   * An S3 error document: {@code <Error><Code/><Message/><Resource/><RequestId/></Error>}. The
   * message names the problem; callers never put a token, secret or signature in it.
   */
  static XmlAnswer s3Error(int status, String code, String message, String resource) {
    return new XmlAnswer(
        status,
        write(
            w -> {
              w.writeStartElement("Error");
              element(w, "Code", code);
              element(w, "Message", message);
              element(w, "Resource", resource);
              element(w, "RequestId", UUID.randomUUID().toString());
              w.writeEndElement();
            }));
  }

  /** The S3 denial every refused request gets: 403 AccessDenied. */
  static XmlAnswer accessDenied(String message, String resource) {
    return s3Error(403, "AccessDenied", message, resource);
  }

  /** An STS error document ({@code ErrorResponse}, query protocol). */
  static XmlAnswer stsError(int status, String code, String message) {
    return new XmlAnswer(
        status,
        write(
            w -> {
              w.writeStartElement("ErrorResponse");
              w.writeDefaultNamespace(StsService.NAMESPACE);
              w.writeStartElement("Error");
              element(w, "Type", status >= 500 ? "Receiver" : "Sender");
              element(w, "Code", code);
              element(w, "Message", message);
              w.writeEndElement();
              element(w, "RequestId", UUID.randomUUID().toString());
              w.writeEndElement();
            }));
  }

  /** Writes a document through a body of StAX calls. */
  static String write(Body body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter writer = FACTORY.createXMLStreamWriter(out);
      writer.writeStartDocument("UTF-8", "1.0");
      body.write(writer);
      writer.writeEndDocument();
      writer.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write XML", e);
    }
    return out.toString();
  }

  static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(text);
    w.writeEndElement();
  }

  /** StAX calls that write one document's elements. */
  @FunctionalInterface
  interface Body {
    void write(XMLStreamWriter writer) throws XMLStreamException;
  }
}
