package io.netsvc.sim.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaulting and validation of the built-in kinds, as kube-apiserver does them. */
class AdmissionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static List<String> errors(String group, String plural, ObjectNode o, ObjectNode old) {
    return Admission.admit(group, plural, o, old, false).errors().stream()
        .map(FieldError::message)
        .toList();
  }

  @Test
  void aServiceGetsKubeApiserversDefaults() {
    ObjectNode svc =
        json("{'metadata':{'name':'web'},'spec':{'type':'LoadBalancer','ports':[{'port':80}]}}");
    assertThat(errors("", "services", svc, null)).isEmpty();
    JsonNode spec = svc.get("spec");
    assertThat(spec.get("sessionAffinity").asText()).isEqualTo("None");
    assertThat(spec.get("externalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(spec.get("internalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(spec.get("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
    assertThat(spec.at("/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(spec.at("/ports/0/targetPort").asInt()).isEqualTo(80);

    ObjectNode plain = json("{'metadata':{'name':'db'},'spec':{'ports':[{'port':5432}]}}");
    Admission.admit("", "services", plain, null, false);
    assertThat(plain.at("/spec/type").asText()).isEqualTo("ClusterIP");
    assertThat(plain.at("/spec/externalTrafficPolicy").isMissingNode()).isTrue();
    assertThat(plain.at("/spec/allocateLoadBalancerNodePorts").isMissingNode()).isTrue();
  }

  @Test
  void anInvalidServiceIsRefusedWithTheApiServersWords() {
    ObjectNode svc =
        json(
            "{'metadata':{'name':'web'},'spec':{'ports':[{'port':80,'nodePort':30080},"
                + "{'port':70000,'protocol':'ICMP'}]}}");
    assertThat(errors("", "services", svc, null))
        .containsExactly(
            "spec.ports[0].name: Required value",
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
            "spec.ports[1].name: Required value",
            "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\","
                + " \"TCP\", \"UDP\"",
            // defaulted from the port
            "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535,"
                + " inclusive");
    assertThat(errors("", "services", json("{'metadata':{'name':'x'},'spec':{}}"), null))
        .containsExactly("spec.ports: Required value");
    assertThat(Admission.invalidMessage("Service", "x", List.of(FieldError.required("spec.ports"))))
        .isEqualTo("Service \"x\" is invalid: spec.ports: Required value");
  }

  @Test
  void anUpdateKeepsTheAllocatedValuesItLeavesOutAndMayNotChangeTheClusterIP() {
    ObjectNode old =
        json(
            "{'metadata':{'name':'web'},'spec':{'type':'NodePort','clusterIP':'10.43.1.5',"
                + "'clusterIPs':['10.43.1.5'],'ipFamilies':['IPv4'],'ipFamilyPolicy':'SingleStack',"
                + "'ports':[{'port':80,'protocol':'TCP','nodePort':30555}]}}");
    ObjectNode put =
        json("{'metadata':{'name':'web'},'spec':{'type':'NodePort','ports':[{'port':80}]}}");
    assertThat(errors("", "services", put, old)).isEmpty();
    assertThat(put.at("/spec/clusterIP").asText()).isEqualTo("10.43.1.5");
    assertThat(put.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30555);

    ObjectNode moved = old.deepCopy();
    ((ObjectNode) moved.get("spec"))
        .put("clusterIP", "10.43.1.6")
        .putArray("clusterIPs")
        .add("10.43.1.6");
    assertThat(errors("", "services", moved, old))
        .containsExactly(
            "spec.clusterIPs[0]: Invalid value: [\"10.43.1.6\"]: may not change once set");

    // NodePort -> ClusterIP: the node ports the update did not change are dropped, not refused
    ObjectNode toClusterIP = old.deepCopy();
    ((ObjectNode) toClusterIP.get("spec")).put("type", "ClusterIP");
    assertThat(errors("", "services", toClusterIP, old)).isEmpty();
    assertThat(toClusterIP.at("/spec/ports/0/nodePort").isMissingNode()).isTrue();
    assertThat(toClusterIP.at("/spec/externalTrafficPolicy").isMissingNode()).isTrue();
  }

  @Test
  void aPodGetsItsSpecDefaultsAndTheAdmissionPluginsAdditions() {
    ObjectNode pod =
        json(
            "{'metadata':{'name':'web'},'spec':{'containers':[{'name':'c','image':'nginx',"
                + "'ports':[{'containerPort':80}]},{'name':'d','image':'busybox:1.36'}]}}");
    assertThat(errors("", "pods", pod, null)).isEmpty();
    JsonNode spec = pod.get("spec");
    assertThat(spec.get("restartPolicy").asText()).isEqualTo("Always");
    assertThat(spec.get("dnsPolicy").asText()).isEqualTo("ClusterFirst");
    assertThat(spec.get("schedulerName").asText()).isEqualTo("default-scheduler");
    assertThat(spec.get("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
    assertThat(spec.get("enableServiceLinks").asBoolean()).isTrue();
    assertThat(spec.get("serviceAccountName").asText()).isEqualTo("default");
    assertThat(spec.get("priority").asInt()).isZero();
    assertThat(spec.at("/containers/0/imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(spec.at("/containers/1/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(spec.at("/containers/0/terminationMessagePath").asText())
        .isEqualTo("/dev/termination-log");
    assertThat(spec.at("/containers/0/terminationMessagePolicy").asText()).isEqualTo("File");
    assertThat(spec.at("/containers/0/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(spec.get("tolerations").findValuesAsText("key"))
        .containsExactly("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
    assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");
  }

  @Test
  void aPodsSpecIsFixedOnceCreatedButForItsImagesAndItsFirstNodeName() {
    ObjectNode old =
        json("{'metadata':{'name':'web'},'spec':{'containers':[{'name':'c','image':'nginx'}]}}");
    Admission.admit("", "pods", old, null, false);
    ObjectNode bound = old.deepCopy();
    ((ObjectNode) bound.get("spec")).put("nodeName", "n1");
    ((ObjectNode) bound.at("/spec/containers/0")).put("image", "nginx:2");
    assertThat(errors("", "pods", bound, old)).isEmpty();
    ObjectNode moved = bound.deepCopy();
    ((ObjectNode) moved.get("spec")).put("nodeName", "n2");
    ObjectNode restart = bound.deepCopy();
    ((ObjectNode) restart.get("spec")).put("restartPolicy", "Never");
    assertThat(errors("", "pods", moved, bound))
        .singleElement()
        .asString()
        .startsWith("spec: Forbidden: pod updates may not change fields");
    assertThat(errors("", "pods", restart, bound)).hasSize(1);
    assertThat(errors("", "pods", json("{'metadata':{'name':'p'},'spec':{}}"), null))
        .containsExactly("spec.containers: Required value");
  }

  @Test
  void aDaemonSetGetsItsUpdateStrategyAndNeedsASelectorThatMatchesItsTemplate() {
    ObjectNode ds =
        json(
            "{'metadata':{'name':'agent'},'spec':{'selector':{'matchLabels':{'app':'agent'}},"
                + "'template':{'metadata':{'labels':{'app':'agent'}},"
                + "'spec':{'containers':[{'name':'a','image':'netsvc:0.1.0'}]}}}}");
    assertThat(errors("apps", "daemonsets", ds, null)).isEmpty();
    assertThat(ds.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxSurge").asInt()).isZero();
    assertThat(ds.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
    assertThat(ds.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");

    ObjectNode other = ds.deepCopy();
    ((ObjectNode) other.at("/spec/template/metadata/labels")).put("app", "other");
    assertThat(errors("apps", "daemonsets", other, null))
        .containsExactly(
            "spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does"
                + " not match template `labels`");
    ObjectNode none = ds.deepCopy();
    ((ObjectNode) none.get("spec")).remove("selector");
    assertThat(errors("apps", "daemonsets", none, null))
        .containsExactly("spec.selector: Required value");
    ObjectNode reselected = ds.deepCopy();
    ((ObjectNode) reselected.at("/spec/selector/matchLabels")).put("tier", "x");
    ((ObjectNode) reselected.at("/spec/template/metadata/labels")).put("tier", "x");
    assertThat(errors("apps", "daemonsets", reselected, ds))
        .singleElement()
        .asString()
        .endsWith("field is immutable");
  }

  @Test
  void aNetworkPolicyGetsItsPolicyTypesFromItsRulesAndTcpPorts() {
    ObjectNode np =
        json(
            "{'metadata':{'name':'p'},'spec':{'podSelector':{},"
                + "'egress':[{'ports':[{'port':53}]}]}}");
    assertThat(errors("networking.k8s.io", "networkpolicies", np, null)).isEmpty();
    assertThat(np.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
    assertThat(np.at("/spec/egress/0/ports/0/protocol").asText()).isEqualTo("TCP");
    ObjectNode ingressOnly = json("{'metadata':{'name':'p'},'spec':{'podSelector':{}}}");
    Admission.admit("networking.k8s.io", "networkpolicies", ingressOnly, null, false);
    assertThat(ingressOnly.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");

    ObjectNode bad =
        json(
            "{'metadata':{'name':'p'},'spec':{'podSelector':{},'ingress':[{'from':[{},"
                + "{'ipBlock':{'cidr':'10.0.0.0/8','except':['192.168.0.0/16']}}],"
                + "'ports':[{'port':80,'endPort':79}]}]}}");
    assertThat(errors("networking.k8s.io", "networkpolicies", bad, null))
        .containsExactly(
            "spec.ingress[0].ports[0].endPort: Invalid value: 79: must be greater than or equal"
                + " to `port`",
            "spec.ingress[0].from[0]: Required value: must specify a peer",
            "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must"
                + " be a strict subset of `cidr`");
  }

  @Test
  void selectorExpressionsNeedAValidOperatorAndTheValuesItTakes() {
    ObjectNode np =
        json(
            "{'metadata':{'name':'p'},'spec':{'podSelector':{'matchExpressions':["
                + "{'key':'app','operator':'In'},{'key':'tier','operator':'Exists','values':['a']},"
                + "{'key':'x','operator':'Near','values':['b']}]}}}");
    assertThat(errors("networking.k8s.io", "networkpolicies", np, null))
        .containsExactly(
            "spec.podSelector.matchExpressions[0].values: Required value: must be specified when"
                + " `operator` is 'In' or 'NotIn'",
            "spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when"
                + " `operator` is 'Exists' or 'DoesNotExist'",
            "spec.podSelector.matchExpressions[2].operator: Invalid value: \"Near\": not a valid"
                + " selector operator");
  }

  @Test
  void aNamespaceGetsItsNameLabelItsFinalizerAndPhaseActive() {
    ObjectNode ns = json("{'metadata':{'name':'team-a'}}");
    assertThat(errors("", "namespaces", ns, null)).isEmpty();
    assertThat(ns.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
    assertThat(ns.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
    assertThat(ns.at("/status/phase").asText()).isEqualTo("Active");
    assertThat(errors("", "namespaces", json("{'metadata':{'name':'Team_A'}}"), null))
        .singleElement()
        .asString()
        .startsWith("metadata.name: Invalid value: \"Team_A\": a lowercase RFC 1123 label");
  }

  @Test
  void anEndpointSliceNeedsAnAddressTypeThatItsAddressesHaveAndThatNeverChanges() {
    ObjectNode slice =
        json(
            "{'metadata':{'name':'web-1'},'addressType':'IPv4','endpoints':[{'addresses':"
                + "['10.42.0.5']}],'ports':[{'port':8080}]}");
    assertThat(errors("discovery.k8s.io", "endpointslices", slice, null)).isEmpty();
    assertThat(slice.at("/ports/0/protocol").asText()).isEqualTo("TCP");
    ObjectNode untyped = slice.deepCopy();
    untyped.remove("addressType");
    assertThat(errors("discovery.k8s.io", "endpointslices", untyped, null))
        .containsExactly("addressType: Required value");
    ObjectNode v6 = slice.deepCopy();
    v6.put("addressType", "IPv6");
    assertThat(errors("discovery.k8s.io", "endpointslices", v6, slice))
        .containsExactly(
            "endpoints[0].addresses[0]: Invalid value: \"10.42.0.5\": must be a valid IPv6"
                + " address",
            "addressType: Invalid value: \"IPv6\": field is immutable");
  }

  @Test
  void eventsAndLeasesAreValidated() {
    ObjectNode event =
        json(
            "{'metadata':{'name':'web.1','namespace':'default'},"
                + "'involvedObject':{'kind':'Service','name':'web','namespace':'other'}}");
    assertThat(errors("", "events", event, null))
        .containsExactly(
            "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
    ObjectNode nodeEvent =
        json(
            "{'metadata':{'name':'n1.1','namespace':'default'},"
                + "'involvedObject':{'kind':'Node','name':'n1'}}");
    assertThat(errors("", "events", nodeEvent, null)).isEmpty();
    ObjectNode lease =
        json("{'metadata':{'name':'l'},'spec':{'holderIdentity':'a','leaseDurationSeconds':0}}");
    assertThat(errors("coordination.k8s.io", "leases", lease, null))
        .containsExactly("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");
  }

  @Test
  void aPodWithAnUnknownPriorityClassIsForbidden() {
    ObjectNode pod =
        json(
            "{'metadata':{'name':'p'},'spec':{'priorityClassName':'gold',"
                + "'containers':[{'name':'c','image':'x'}]}}");
    assertThat(Admission.admit("", "pods", pod, null, false).forbidden())
        .isEqualTo("no PriorityClass with name gold was found");
    ObjectNode critical =
        json(
            "{'metadata':{'name':'p'},'spec':{'priorityClassName':'system-node-critical',"
                + "'containers':[{'name':'c','image':'x'}]}}");
    assertThat(Admission.admit("", "pods", critical, null, false).admitted()).isTrue();
    assertThat(critical.at("/spec/priority").asInt()).isEqualTo(2000001000);
  }
}
