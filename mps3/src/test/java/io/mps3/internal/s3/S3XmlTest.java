package io.mps3.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3XmlTest {

  private static byte[] xml(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parseList_readsEncodedKeysAndTheContinuationToken() throws Exception {
    S3Xml.ListResult result =
        S3Xml.parseList(
            xml(
                "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<Name>b</Name><Prefix>p</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
                    + "<IsTruncated>true</IsTruncated>"
                    + "<Contents><Key>a+b%2Bc</Key><LastModified>2026-11-26T12:30:14.123Z</LastModified>"
                    + "<ETag>&quot;abc&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass>"
                    + "<Owner><ID>x</ID><DisplayName>y</DisplayName></Owner></Contents>"
                    + "<Contents><Key>%C3%A9</Key><LastModified>2026-11-26T12:30:15Z</LastModified>"
                    + "<ETag>\"def\"</ETag><Size>0</Size></Contents>"
                    + "<NextContinuationToken>tok/+=</NextContinuationToken>"
                    + "<EncodingType>url</EncodingType></ListBucketResult>"));
    assertThat(result.objects()).hasSize(2);
    assertThat(result.objects().get(0).key()).isEqualTo("a b+c");
    assertThat(result.objects().get(0).etag()).isEqualTo("abc");
    assertThat(result.objects().get(0).size()).isEqualTo(3);
    assertThat(result.objects().get(0).lastModified())
        .isEqualTo(Instant.parse("2026-11-26T12:30:14.123Z"));
    assertThat(result.objects().get(1).key()).isEqualTo("é");
    assertThat(result.nextContinuationToken()).isEqualTo("tok/+=");
  }

  @Test
  void parseList_takesKeysRawWhenTheServerDidNotEncodeThem() throws Exception {
    S3Xml.ListResult result =
        S3Xml.parseList(
            xml(
                "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b%</Key>"
                    + "<LastModified>2026-11-26T12:30:14Z</LastModified><ETag>\"e\"</ETag>"
                    + "<Size>1</Size></Contents></ListBucketResult>"));
    assertThat(result.objects().get(0).key()).isEqualTo("a+b%");
    assertThat(result.nextContinuationToken()).isNull();
  }

  @Test
  void parseList_malformedXml_givesAnErrorWithAnExcerpt() {
    assertThatThrownBy(() -> S3Xml.parseList(xml("<ListBucketResult><Contents><Key>trunc")))
        .isInstanceOf(S3Xml.MalformedXmlException.class)
        .hasMessageContaining("malformed ListObjectsV2 response")
        .hasMessageContaining("<ListBucketResult><Contents><Key>trunc");
    assertThatThrownBy(() -> S3Xml.parseList(xml("<html>Bad gateway</html>")))
        .isInstanceOf(S3Xml.MalformedXmlException.class)
        .hasMessageContaining("no ListBucketResult")
        .hasMessageContaining("<html>Bad gateway</html>");
    assertThatThrownBy(
            () ->
                S3Xml.parseList(
                    xml("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")))
        .hasMessageContaining("without a continuation token");
  }

  @Test
  void parseList_refusesDoctypes() {
    String evil =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<ListBucketResult><Contents><Key>&e;</Key></Contents></ListBucketResult>";
    assertThatThrownBy(() -> S3Xml.parseList(xml(evil)))
        .isInstanceOf(S3Xml.MalformedXmlException.class);
  }

  @Test
  void parseError_readsCodeMessageAndRequestId_andToleratesNonXml() {
    S3Xml.ErrorDocument error =
        S3Xml.parseError(
            xml(
                "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The bucket does"
                    + " not exist</Message><BucketName>b</BucketName><RequestId>42</RequestId></Error>"));
    assertThat(error.code()).isEqualTo("NoSuchBucket");
    assertThat(error.message()).isEqualTo("The bucket does not exist");
    assertThat(error.requestId()).isEqualTo("42");
    assertThat(S3Xml.parseError(xml("<html>proxy error</html>")).code()).isNull();
    assertThat(S3Xml.parseError(new byte[0]).code()).isNull();
  }
}
