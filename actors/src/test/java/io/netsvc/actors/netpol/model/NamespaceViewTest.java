package io.netsvc.actors.netpol.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.k8s.records.netpol.NamespaceInfo;
import io.netsvc.k8s.records.netpol.NetpolPod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A namespace view follows its changes exactly (checked against a plain map over many random
 * changes), each change is the next version, and an earlier version is never altered by a later
 * one: policies may still be compiling against it.
 */
class NamespaceViewTest {
  static NetpolPod pod(String name, String app, String ip) {
    return new NetpolPod("v", name, "n1", Map.of("app", app), ip, null, List.of(), false, false);
  }

  @Test
  void changesMakeNewVersionsAndLeaveEarlierOnesAsTheyWere() {
    Random r = new Random(5);
    Map<String, NetpolPod> model = new HashMap<>();
    NamespaceView view = NamespaceView.empty("v", 100);
    NamespaceView first = null;
    Map<String, NetpolPod> atFirst = null;
    for (int i = 0; i < 3000; i++) {
      String name = "p" + r.nextInt(500);
      NamespaceView next;
      if (r.nextInt(4) == 0) {
        model.remove(name);
        next = view.withoutPod(name);
      } else {
        NetpolPod p = pod(name, "a" + r.nextInt(3), "10.42." + r.nextInt(200) + ".1");
        model.put(name, p);
        next = view.withPod(p);
      }
      assertThat(next.version()).isEqualTo(view.version() + 1);
      view = next;
      if (i == 1000) {
        first = view;
        atFirst = Map.copyOf(model);
      }
    }
    assertThat(view.pods()).containsExactlyInAnyOrderElementsOf(model.values());
    for (Map.Entry<String, NetpolPod> e : model.entrySet()) {
      assertThat(view.pod(e.getKey())).isEqualTo(e.getValue());
    }
    assertThat(first.pods()).containsExactlyInAnyOrderElementsOf(atFirst.values());
  }

  @Test
  void theSameContentRebuiltIsTheSameViewButForItsVersion() {
    NamespaceInfo info = new NamespaceInfo("v", Map.of("team", "a"));
    List<NetpolPod> pods = List.of(pod("a", "web", "10.42.0.1"), pod("b", "db", "10.42.0.2"));
    NamespaceView built = NamespaceView.of("v", info, 7, pods);
    NamespaceView changed =
        NamespaceView.empty("v", 3).withInfo(info).withPod(pods.get(1)).withPod(pods.get(0));
    assertThat(changed.sameContent(built)).isTrue();
    assertThat(changed).isNotEqualTo(built);
    assertThat(changed.numbered(7)).isEqualTo(built);
    assertThat(built.withoutPod("a").sameContent(built)).isFalse();
    assertThat(built.labels())
        .containsEntry(ClusterView.NAME_LABEL, "v")
        .containsEntry("team", "a");
  }
}
