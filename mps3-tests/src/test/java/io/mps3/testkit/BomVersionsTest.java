package io.mps3.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bill of materials has no parent (importing it must bring only MPS3's versions), so its
 * versions are written out: each must be the build's own, or users would import a stale set.
 */
class BomVersionsTest {

  private static final Pattern VERSION = Pattern.compile("<version>([^<]+)</version>");

  @Test
  void everyVersionInTheBom_isTheBuildsVersion() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize(); // surefire runs in the module
    String parent = Files.readString(root.resolve("pom.xml"));
    Matcher own = VERSION.matcher(parent);
    assertThat(own.find()).as("the parent pom names its version").isTrue();
    String buildVersion = own.group(1);

    List<String> bomVersions = new ArrayList<>();
    String bom = Files.readString(root.resolve("mps3-bom/pom.xml"));
    int build = bom.indexOf("<build>"); // its plugins have versions of their own
    Matcher m = VERSION.matcher(build < 0 ? bom : bom.substring(0, build));
    while (m.find()) {
      bomVersions.add(m.group(1));
    }

    assertThat(bomVersions).hasSizeGreaterThanOrEqualTo(3).containsOnly(buildVersion);
  }
}
