package io.netsvc.nodeagent.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainEditsTest {

  private static List<String> list(String s) {
    return s.equals("-") ? List.of() : Arrays.asList(s.split(""));
  }

  /** Applies edit lines as iptables would: -D the first equal rule, -I at a 1-based position. */
  private static List<String> apply(List<String> rules, List<String> edits) {
    List<String> out = new ArrayList<>(rules);
    for (String e : edits) {
      String[] t = e.split(" ");
      if (t[0].equals("-D")) assertThat(out.remove(t[2])).isTrue();
      else out.add(Integer.parseInt(t[2]) - 1, t[3]);
    }
    return out;
  }

  @ParameterizedTest(name = "{0} → {1}: {2}")
  @CsvSource({
    // applied, wanted, expected edits ("|"-separated) or "rewrite"
    "abc, axbc, -I C 2 x",
    "abc, ac, -D C b",
    "abc, abcd, -I C 4 d",
    "abc, xabc, -I C 1 x",
    "abcd, axcd, -D C b|-I C 2 x",
    // identical RETURN twins (R) in a policy chain: duplicates are matched by count
    "ARBR, ARCRBR, -I C 3 C|-I C 4 R",
    "ARCRBR, ARBR, -D C R|-D C C",
    // a kept rule changed place: only a rewrite keeps the order right
    "abc, cba, rewrite",
    // changing most of a chain: rewriting is shorter
    "abc, xyz, rewrite",
    "ab, -, rewrite",
  })
  void editsOrRewrite(String applied, String wanted, String expected) {
    List<String> edits = ChainEdits.edit("C", list(applied), list(wanted));
    if (expected.equals("rewrite")) {
      assertThat(edits).isNull();
      return;
    }
    assertThat(edits).containsExactly(expected.split("\\|"));
    assertThat(apply(list(applied), edits)).isEqualTo(list(wanted));
  }
}
