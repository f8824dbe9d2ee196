package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Parses SVG text with the JDK's XML parser (which rejects anything not well-formed) and queries it. */
final class SvgDocs {

    private SvgDocs() {
    }

    /** The document; fails the test if the text is not well-formed XML or not a standalone SVG root. */
    static Document parse(String svg) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document doc = builder.parse(new InputSource(new StringReader(svg)));
            Element root = doc.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("svg");
            assertThat(root.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
            assertThat(root.getAttribute("version")).isEqualTo("1.1");
            assertThat(root.getAttribute("viewBox")).matches("0 0 [0-9.]+ [0-9.]+");
            return doc;
        } catch (Exception e) {
            throw new AssertionError("not a well-formed SVG document: " + e.getMessage(), e);
        }
    }

    /** Elements matching an XPath expression (no namespaces: {@code //polyline}). */
    static List<Element> select(Document doc, String xpath) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add((Element) nodes.item(i));
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError("bad XPath " + xpath, e);
        }
    }

    /** The text of every {@code <text>} element, in document order. */
    static List<String> texts(Document doc) {
        return select(doc, "//text").stream().map(Element::getTextContent).toList();
    }
}
