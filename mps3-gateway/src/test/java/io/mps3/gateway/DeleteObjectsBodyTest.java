package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeleteObjectsBodyTest {

  private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

  @Test
  void keysAreReadInOrder_withReferencesExpanded_andKeptAsTheyAre() throws Exception {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete"
            + NS
            + ">\n  <Quiet>true</Quiet>\n"
            + "  <Object><Key>a &amp; b&#13;</Key><VersionId>v1</VersionId></Object>\n"
            + "  <Object><Key> spaced </Key><ETag>\"e\"</ETag></Object>\n"
            + "  <Object><Key>a &amp; b&#13;</Key></Object>\n"
            + "</Delete>\n";
    assertThat(DeleteObjectsBody.keys(xml.getBytes(StandardCharsets.UTF_8)))
        .containsExactly("a & b\r", " spaced ", "a & b\r");
    assertThat(keys("<Delete><Object><Key>é</Key></Object></Delete>")).containsExactly("é");
  }

  @Test
  void whatAnotherParserCouldReadDifferently_isMalformed() {
    String object = "<Object><Key>users/a</Key></Object>";
    List<String> bodies =
        List.of(
            "",
            "<Delete>" + object,
            "<Delete></Delete>",
            "<Other>" + object + "</Other>",
            "<Delete><Object><Key>users/a<!-- -->b</Key></Object></Delete>",
            "<Delete><Object><Key><![CDATA[users/b]]></Key></Object></Delete>",
            "<Delete><Object><Key>users/a<?pi x?></Key></Object></Delete>",
            "<!DOCTYPE Delete [<!ENTITY k 'users/b'>]><Delete><Object><Key>&k;</Key></Object>"
                + "</Delete>",
            "<Delete><Object><Key>users/a</Key><Key>users/b</Key></Object></Delete>",
            "<Delete><Object><Key x=\"1\">users/a</Key></Object></Delete>",
            "<Delete xmlns:o=\"urn:other\"><o:Object><Key>users/a</Key></o:Object></Delete>",
            "<Delete><Object><Key>users/a</Key><Extra/></Object></Delete>",
            "<Delete><Object><Key></Key></Object></Delete>",
            "<Delete><Object><VersionId>v</VersionId></Object></Delete>",
            "<Delete>text" + object + "</Delete>",
            "<Delete>" + object + "</Delete><Delete>" + object + "</Delete>",
            "<Delete>" + object + "</Delete>trailing",
            "<Delete><Quiet>maybe</Quiet>" + object + "</Delete>",
            "<?xml version=\"1.1\"?><Delete><Object><Key>a\u0085b</Key></Object></Delete>",
            "<Delete>" + object.repeat(DeleteObjectsBody.MAX_OBJECTS + 1) + "</Delete>");
    for (String body : bodies) {
      assertThatThrownBy(() -> keys(body)).as(body).isInstanceOf(DeleteObjectsBody.Malformed.class);
    }
    byte[] latin1 =
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Delete><Object><Key>\u00e9</Key>"
                + "</Object></Delete>")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> DeleteObjectsBody.keys(latin1))
        .isInstanceOf(DeleteObjectsBody.Malformed.class);
    byte[] declaredOther =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Delete><Object><Key>a</Key></Object></Delete>"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> DeleteObjectsBody.keys(declaredOther))
        .isInstanceOf(DeleteObjectsBody.Malformed.class);
  }

  @Test
  void thousandObjects_areAllowed() throws Exception {
    assertThat(
            keys(
                "<Delete>"
                    + "<Object><Key>k</Key></Object>".repeat(DeleteObjectsBody.MAX_OBJECTS)
                    + "</Delete>"))
        .hasSize(DeleteObjectsBody.MAX_OBJECTS);
  }

  private static List<String> keys(String xml) throws DeleteObjectsBody.Malformed {
    return DeleteObjectsBody.keys(xml.getBytes(StandardCharsets.UTF_8));
  }
}
