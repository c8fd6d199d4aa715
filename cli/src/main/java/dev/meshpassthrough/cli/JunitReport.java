package dev.meshpassthrough.cli;

import dev.meshpassthrough.core.Severity;
import java.io.StringWriter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link ValidationReport} as JUnit XML, the report CI servers show as tests: one {@code
 * testsuite}, one {@code testcase} per document (named by its policy and location, its class the
 * file), with a {@code failure} listing the errors when it has any and its warnings in {@code
 * system-out}; a parse problem is a test case with an {@code error}, a skipped part of the input a
 * test case marked {@code skipped}. Text is escaped by the XML writer; characters XML 1.0 cannot
 * hold at all (most control characters) are written as Java escapes ({@code \u0007}).
 */
final class JunitReport {
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  private JunitReport() {}

  /** The JUnit XML of {@code report}, ending in a newline. */
  static String write(ValidationReport report) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = FACTORY.createXMLStreamWriter(text);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "meshpassthrough validate");
      xml.writeAttribute(
          "tests",
          String.valueOf(
              report.checked().size() + report.problems().size() + report.notes().size()));
      xml.writeAttribute(
          "failures",
          String.valueOf(report.checked().stream().filter(c -> !c.result().isValid()).count()));
      xml.writeAttribute("errors", String.valueOf(report.problems().size()));
      xml.writeAttribute("skipped", String.valueOf(report.notes().size()));
      for (ValidationReport.Checked checked : report.checked()) {
        document(xml, checked);
      }
      for (ValidationReport.Finding finding : report.readingFindings()) {
        reading(xml, finding);
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to a string cannot fail", e);
    }
    return text + "\n";
  }

  private static void document(XMLStreamWriter xml, ValidationReport.Checked checked)
      throws XMLStreamException {
    List<ValidationReport.Finding> findings = checked.findings();
    List<ValidationReport.Finding> errors =
        findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    List<ValidationReport.Finding> others =
        findings.stream().filter(f -> f.severity() != Severity.ERROR).toList();
    startCase(
        xml,
        checked.document().location().source(),
        checked.document().coreName() + " (" + checked.document().location() + ")");
    if (!errors.isEmpty()) {
      xml.writeStartElement("failure");
      xml.writeAttribute("message", errors.size() + (errors.size() == 1 ? " error" : " errors"));
      xml.writeAttribute("type", "validation");
      xml.writeCharacters(lines(errors));
      xml.writeEndElement();
    }
    if (!others.isEmpty()) {
      xml.writeStartElement("system-out");
      xml.writeCharacters(lines(others));
      xml.writeEndElement();
    }
    xml.writeEndElement();
  }

  private static void reading(XMLStreamWriter xml, ValidationReport.Finding finding)
      throws XMLStreamException {
    startCase(xml, finding.location().source(), finding.location().toString());
    if (finding.severity() == Severity.NOTE) {
      xml.writeEmptyElement("skipped");
      xml.writeAttribute("message", safe(finding.messageWithPath()));
    } else {
      xml.writeStartElement("error");
      xml.writeAttribute("message", safe(finding.messageWithPath()));
      xml.writeAttribute("type", finding.ruleId());
      xml.writeCharacters(lines(List.of(finding)));
      xml.writeEndElement();
    }
    xml.writeEndElement();
  }

  private static void startCase(XMLStreamWriter xml, String classname, String name)
      throws XMLStreamException {
    xml.writeCharacters("\n  ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", safe(classname));
    xml.writeAttribute("name", safe(name));
  }

  /**
   * {@code file:line:column: severity: path: message [rule]}, one line each, as {@code validate}
   * prints text.
   */
  private static String lines(List<ValidationReport.Finding> findings) {
    StringBuilder out = new StringBuilder();
    for (ValidationReport.Finding f : findings) {
      out.append(
              safe(
                  f.location()
                      + ": "
                      + f.severity().wireName()
                      + ": "
                      + f.messageWithPath()
                      + " ["
                      + f.ruleId()
                      + "]"))
          .append('\n');
    }
    return out.toString();
  }

  /**
   * {@code text} on one line, with every control character and what XML 1.0 cannot hold (lone
   * surrogates, U+FFFE, U+FFFF) written as Java escapes: an attribute value would lose a line
   * break, and an XML reader refuses the rest.
   */
  static String safe(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              boolean allowed =
                  !Character.isISOControl(c)
                      && !(c >= 0xd800 && c <= 0xdfff)
                      && c != 0xfffe
                      && c != 0xffff;
              if (allowed) {
                out.appendCodePoint(c);
              } else {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
              }
            });
    return out.toString();
  }
}
