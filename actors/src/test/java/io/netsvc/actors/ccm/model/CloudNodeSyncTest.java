package io.netsvc.actors.ccm.model;

import static io.netsvc.actors.ccm.model.CloudNodeSync.INSTANCE_TYPE;
import static io.netsvc.actors.ccm.model.CloudNodeSync.INSTANCE_TYPE_BETA;
import static io.netsvc.actors.ccm.model.CloudNodeSync.REGION;
import static io.netsvc.actors.ccm.model.CloudNodeSync.REGION_BETA;
import static io.netsvc.actors.ccm.model.CloudNodeSync.ZONE;
import static io.netsvc.actors.ccm.model.CloudNodeSync.ZONE_BETA;
import static io.netsvc.actors.ccm.model.Nodes.UNINITIALIZED;
import static io.netsvc.actors.ccm.model.Nodes.addressList;
import static io.netsvc.actors.ccm.model.Nodes.pairs;
import static org.assertj.core.api.Assertions.assertThat;

import io.netsvc.actors.ccm.model.CloudNodeSync.InSync;
import io.netsvc.actors.ccm.model.CloudNodeSync.Update;
import io.netsvc.actors.ccm.model.CloudNodeSync.Waiting;
import io.netsvc.k8s.records.NodeInfo;
import io.netsvc.k8s.records.TaintInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** K3s InstancesV2 metadata as the upstream cloud-node controller applies it. */
class CloudNodeSyncTest {

  /** A freshly registered agent: kubelet's taint and addresses, the agent's annotations. */
  private static Nodes fresh() {
    return Nodes.named("n1")
        .annotation(NodeAnnotations.INTERNAL_IP, "10.0.0.1")
        .annotation(NodeAnnotations.HOSTNAME, "box")
        .addresses("InternalIP=10.0.0.1,Hostname=box")
        .taint(UNINITIALIZED);
  }

  /** The same node once the controller has written everything. */
  private static Nodes initialised() {
    return Nodes.named("n1")
        .annotation(NodeAnnotations.INTERNAL_IP, "10.0.0.1")
        .annotation(NodeAnnotations.HOSTNAME, "box")
        .addresses("InternalIP=10.0.0.1,Hostname=box")
        .label(INSTANCE_TYPE, "k3s")
        .label(INSTANCE_TYPE_BETA, "k3s")
        .providerID("k3s://n1");
  }

  @Test
  void waitsForTheAgentsAnnotations() {
    NodeInfo bare = Nodes.named("n1").addresses("InternalIP=10.0.0.1").taint(UNINITIALIZED).build();
    assertThat(CloudNodeSync.decide(bare))
        .isEqualTo(new Waiting("address annotations not yet set"));
    NodeInfo empty = Nodes.named("n1").annotation(NodeAnnotations.INTERNAL_IP, "").build();
    assertThat(CloudNodeSync.decide(empty)).isInstanceOf(Waiting.class);
  }

  @Test
  void initialisesATaintedNode() {
    assertThat(CloudNodeSync.decide(fresh().build()))
        .isEqualTo(
            new Update(
                Optional.of("k3s://n1"),
                Map.of(INSTANCE_TYPE, "k3s", INSTANCE_TYPE_BETA, "k3s"),
                true,
                Optional.empty())); // kubelet's addresses already match
  }

  @Test
  void initialisedNodeIsInSync() {
    assertThat(CloudNodeSync.decide(initialised().build())).isEqualTo(new InSync());
    NodeInfo withZone =
        initialised()
            .label(ZONE, "z1")
            .label(ZONE_BETA, "z1")
            .label(REGION, "r1")
            .label(REGION_BETA, "r1")
            .taint(new TaintInfo("dedicated", "db", "NoSchedule"))
            .build();
    assertThat(CloudNodeSync.decide(withZone)).isEqualTo(new InSync());
  }

  @Test
  void onlyTheTaintLeft() {
    NodeInfo node = initialised().taint(UNINITIALIZED).build();
    assertThat(CloudNodeSync.decide(node))
        .isEqualTo(new Update(Optional.empty(), Map.of(), true, Optional.empty()));
  }

  @Test
  void existingProviderIdIsKept() {
    Update u =
        (Update) CloudNodeSync.decide(fresh().providerID("aws:///eu-west-1a/i-0abc").build());
    assertThat(u.providerID()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] labels {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''| node.kubernetes.io/instance-type=k3s;beta.kubernetes.io/instance-type=k3s",
        "node.kubernetes.io/instance-type=m5.large| beta.kubernetes.io/instance-type=m5.large",
        "node.kubernetes.io/instance-type=m5.large;beta.kubernetes.io/instance-type=old|"
            + " beta.kubernetes.io/instance-type=m5.large",
        "node.kubernetes.io/instance-type=k3s;topology.kubernetes.io/zone=z1|"
            + " beta.kubernetes.io/instance-type=k3s;failure-domain.beta.kubernetes.io/zone=z1",
        "node.kubernetes.io/instance-type=k3s;beta.kubernetes.io/instance-type=k3s;"
            + "topology.kubernetes.io/region=r1;failure-domain.beta.kubernetes.io/region=old|"
            + " failure-domain.beta.kubernetes.io/region=r1",
        // an empty GA label counts as unset, as in K3s
        "node.kubernetes.io/instance-type=| "
            + "node.kubernetes.io/instance-type=k3s;beta.kubernetes.io/instance-type=k3s",
      })
  void setsOnlyTheLabelsThatDiffer(String have, String expected) {
    Nodes n = fresh();
    pairs(have).forEach(n::label);
    Update u = (Update) CloudNodeSync.decide(n.build());
    assertThat(u.labelsToSet()).isEqualTo(pairs(expected));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "all five, K3s's order|"
            + " k3s.io/internal-ip=10.0.0.1,fd00::1;k3s.io/external-ip=203.0.113.5;"
            + "k3s.io/internal-dns=n1.lan;k3s.io/external-dns=n1.example.com,www.example.com;"
            + "k3s.io/hostname=box|"
            + " ''|"
            + " InternalIP=10.0.0.1,InternalIP=fd00::1,ExternalIP=203.0.113.5,InternalDNS=n1.lan,"
            + "ExternalDNS=n1.example.com,ExternalDNS=www.example.com,Hostname=box",
        "legacy labels only| ''|"
            + " k3s.io/internal-ip=10.0.0.1;k3s.io/external-ip=203.0.113.5;k3s.io/hostname=box|"
            + " InternalIP=10.0.0.1,ExternalIP=203.0.113.5,Hostname=box",
        "annotation wins over label| k3s.io/internal-ip=10.0.0.1;k3s.io/hostname=box|"
            + " k3s.io/internal-ip=10.9.9.9;k3s.io/hostname=old|"
            + " InternalIP=10.0.0.1,Hostname=box",
        "kubelet's hostname kept when none given| k3s.io/internal-ip=10.0.0.1| ''|"
            + " InternalIP=10.0.0.1,Hostname=kubelet-name",
      })
  void addressesFromAnnotationsElseLabels(
      String why, String annotations, String labels, String expected) {
    Nodes n = Nodes.named("n1").addresses("InternalIP=192.168.1.1,Hostname=kubelet-name");
    pairs(annotations).forEach(n::annotation);
    pairs(labels).forEach(n::label);
    Update u = (Update) CloudNodeSync.decide(n.build());
    assertThat(u.addresses()).as(why).contains(addressList(expected));
  }

  @Test
  void addressesWrittenOnlyWhenTheyDiffer() {
    Nodes moved = initialised().annotation(NodeAnnotations.INTERNAL_IP, "10.0.0.2");
    assertThat(CloudNodeSync.decide(moved.build()))
        .isEqualTo(
            new Update(
                Optional.empty(),
                Map.of(),
                false,
                Optional.of(addressList("InternalIP=10.0.0.2,Hostname=box"))));
    // the order is part of what users see (kubectl -o wide shows the first InternalIP)
    Nodes reordered = initialised().addresses("Hostname=box,InternalIP=10.0.0.1");
    assertThat(CloudNodeSync.decide(reordered.build())).isInstanceOf(Update.class);
  }

  @Test
  void decisionIsStableAfterItsWritesAreApplied() {
    Update u =
        (Update) CloudNodeSync.decide(fresh().annotation("k3s.io/external-ip", "1.2.3.4").build());
    Nodes after =
        initialised()
            .annotation("k3s.io/external-ip", "1.2.3.4")
            .providerID(u.providerID().orElseThrow());
    after.addresses = List.copyOf(u.addresses().orElseThrow());
    assertThat(CloudNodeSync.decide(after.build())).isEqualTo(new InSync());
  }
}
