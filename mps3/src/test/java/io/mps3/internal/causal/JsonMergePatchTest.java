package io.mps3.internal.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 7386's examples (appendix A) with an object target and patch: a reader replays patches in
 * place (the state copied once), so {@code applyInPlace} must give what {@code apply} gives, and
 * leave the patch untouched and unshared.
 */
class JsonMergePatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'a':'b'}|{'a':'c'}|{'a':'c'}",
        "{'a':'b'}|{'b':'c'}|{'a':'b','b':'c'}",
        "{'a':'b'}|{'a':null}|{}",
        "{'a':'b','b':'c'}|{'a':null}|{'b':'c'}",
        "{'a':['b']}|{'a':'c'}|{'a':'c'}",
        "{'a':'c'}|{'a':['b']}|{'a':['b']}",
        "{'a':{'b':'c'}}|{'a':{'b':'d','c':null}}|{'a':{'b':'d'}}",
        "{'a':[{'b':'c'}]}|{'a':[1]}|{'a':[1]}",
        "{'e':null}|{'a':1}|{'e':null,'a':1}",
        "{}|{'a':{'bb':{'ccc':null}}}|{'a':{'bb':{}}}",
        "{'a':'x'}|{'a':{'b':null,'c':{'d':1}}}|{'a':{'c':{'d':1}}}"
      })
  void applyInPlace_givesWhatApplyGives(String target, String patch, String expected)
      throws Exception {
    ObjectNode t = (ObjectNode) json(target);
    ObjectNode p = (ObjectNode) json(patch);
    JsonNode copied = JsonMergePatch.apply(t, p);
    JsonMergePatch.applyInPlace(t, p);
    assertThat(t).isEqualTo(json(expected)).isEqualTo(copied);
    assertThat(p).as("the patch is untouched").isEqualTo(json(patch));
    JsonMergePatch.applyInPlace(t, (ObjectNode) json("{'a':{'z':1}}"));
    assertThat(p).as("and shares no node with the target").isEqualTo(json(patch));
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }
}
