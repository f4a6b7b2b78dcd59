package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.netsvc.sim.rbac.model.AccessRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sim API records what each token asked for, in RBAC's terms. */
class AccessLogTest {
  @Test
  void requestsAreRecordedPerTokenWithVerbResourceSubresourceNamespaceAndName() {
    try (SimApiServer api = SimApiServer.start("127.0.0.1", 0)) {
      KubernetesClient a = api.newClient("a", "token-a");
      KubernetesClient b = api.newClient("b", "token-b");
      a.configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("c")
                  .withNamespace("kube-system")
                  .endMetadata()
                  .build())
          .create();
      a.configMaps().inNamespace("kube-system").withName("c").get();
      a.configMaps().inAnyNamespace().list();
      a.configMaps().inNamespace("kube-system").withName("c").delete();
      b.services()
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("web")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      b.services()
          .inNamespace("default")
          .withName("web")
          .editStatus(s -> new ServiceBuilder(s).withNewStatus().endStatus().build());
      try (var w =
          b.services()
              .inNamespace("default")
              .withName("web")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Service resource) {}

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    api.requestsBy("token-b")
                        .contains(
                            new AccessRequest("watch", "", "services", "", "default", "web")));
      }
      assertThat(api.requestsBy("token-a"))
          .containsExactlyInAnyOrder(
              new AccessRequest("create", "", "configmaps", "", "kube-system", ""),
              new AccessRequest("get", "", "configmaps", "", "kube-system", "c"),
              new AccessRequest("list", "", "configmaps", "", "", ""),
              new AccessRequest("delete", "", "configmaps", "", "kube-system", "c"));
      assertThat(api.requestsBy("token-b"))
          .contains(
              new AccessRequest("create", "", "services", "", "default", ""),
              new AccessRequest("patch", "", "services", "status", "default", "web"))
          .noneMatch(r -> r.resource().equals("configmaps"));
      assertThat(api.requestsBy("")).noneMatch(r -> r.resource().equals("services"));
      assertThat(api.requestsNotRecorded()).isZero();
    }
  }

  @Test
  void aWatchOfOneObjectIsAuthorizedByItsName() {
    assertThat(AccessLog.nameFromSelector("metadata.name=web")).isEqualTo("web");
    assertThat(AccessLog.nameFromSelector("metadata.name==web")).isEqualTo("web");
    assertThat(AccessLog.nameFromSelector("metadata.name=web,spec.nodeName=n")).isEmpty();
    assertThat(AccessLog.nameFromSelector("")).isEmpty();
    assertThat(AccessLog.token("Bearer abc")).isEqualTo("abc");
    assertThat(AccessLog.token("Basic abc")).isEmpty();
    assertThat(AccessLog.token(null)).isEmpty();
  }
}
