package io.netsvc.sim.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * NetworkPolicies (networking/v1: {@code policyTypes} from the rules present, ports TCP unless said
 * otherwise; peers, ports and ipBlocks validated) and EndpointSlices (discovery/v1: an address type
 * that is required and immutable, addresses of that type, ports TCP by default).
 */
public final class NetworkRules {
  private NetworkRules() {}

  static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");

  static void policyDefaults(ObjectNode np) {
    ObjectNode spec = Fields.object(np, "spec");
    Fields.object(spec, "podSelector");
    if (Fields.isEmptyArray(spec, "policyTypes")) {
      ArrayNode types = spec.putArray("policyTypes").add("Ingress");
      if (!Fields.isEmptyArray(spec, "egress")) types.add("Egress");
    }
    for (String dir : List.of("ingress", "egress")) {
      for (ObjectNode rule : Fields.objects(spec, dir)) {
        for (ObjectNode p : Fields.objects(rule, "ports")) Fields.defaultText(p, "protocol", "TCP");
      }
    }
  }

  static void validatePolicy(ObjectNode np, List<FieldError> out) {
    JsonNode spec = np.path("spec");
    Names.selector("spec.podSelector", spec.get("podSelector"), out);
    JsonNode types = spec.path("policyTypes");
    for (int i = 0; i < types.size(); i++) {
      if (!List.of("Ingress", "Egress").contains(types.get(i).asText())) {
        out.add(
            FieldError.unsupported(
                "spec.policyTypes[" + i + "]", types.get(i), List.of("Egress", "Ingress")));
      }
    }
    if (types.size() > 2)
      out.add(
          FieldError.invalid(
              "spec.policyTypes", types, "may not specify more than two policyTypes"));
    for (String dir : List.of("ingress", "egress")) {
      List<ObjectNode> rules = Fields.objects(spec, dir);
      String peers = dir.equals("ingress") ? "from" : "to";
      for (int i = 0; i < rules.size(); i++) {
        String f = "spec." + dir + "[" + i + "]";
        List<ObjectNode> ports = Fields.objects(rules.get(i), "ports");
        for (int j = 0; j < ports.size(); j++) port(f + ".ports[" + j + "]", ports.get(j), out);
        List<ObjectNode> ps = Fields.objects(rules.get(i), peers);
        for (int j = 0; j < ps.size(); j++) peer(f + "." + peers + "[" + j + "]", ps.get(j), out);
      }
    }
  }

  private static void port(String f, ObjectNode p, List<FieldError> out) {
    PodSpecs.oneOf(p, "protocol", f + ".protocol", PodSpecs.PROTOCOLS, out);
    JsonNode port = p.get("port");
    if (port != null && port.isNumber() && !Fields.validPort(port)) {
      out.add(FieldError.invalid(f + ".port", port, Fields.PORT_RANGE));
    } else if (port != null && port.isTextual() && !Names.isPortName(port.asText())) {
      out.add(FieldError.invalid(f + ".port", port, "must contain at least one letter (a-z)"));
    }
    JsonNode end = p.get("endPort");
    if (end != null && !end.isNull()) {
      if (port == null || !port.isNumber()) {
        out.add(FieldError.required(f + ".port", "must specify port when endPort is specified"));
      } else if (end.asInt() < port.asInt()) {
        out.add(FieldError.invalid(f + ".endPort", end, "must be greater than or equal to `port`"));
      }
    }
  }

  private static void peer(String f, ObjectNode peer, List<FieldError> out) {
    int kinds = 0;
    for (String k : List.of("podSelector", "namespaceSelector")) {
      if (peer.hasNonNull(k)) {
        kinds++;
        Names.selector(f + "." + k, peer.get(k), out);
      }
    }
    JsonNode block = peer.get("ipBlock");
    if (block == null || block.isNull()) {
      if (kinds == 0) out.add(FieldError.required(f, "must specify a peer"));
      return;
    }
    if (kinds > 0) out.add(FieldError.forbidden(f, "may not specify more than 1 peer type"));
    String cidr = Fields.text(block, "cidr");
    if (cidr.isEmpty()) {
      out.add(FieldError.required(f + ".ipBlock.cidr"));
      return;
    }
    if (!Addresses.isCidr(cidr)) {
      out.add(
          FieldError.invalid(
              f + ".ipBlock.cidr",
              block.get("cidr"),
              "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
      return;
    }
    JsonNode except = block.path("except");
    for (int i = 0; i < except.size(); i++) {
      String e = except.get(i).asText();
      String ef = f + ".ipBlock.except[" + i + "]";
      if (!Addresses.isCidr(e)) {
        out.add(
            FieldError.invalid(
                ef,
                except.get(i),
                "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
      } else if (!Addresses.strictSubset(e, cidr)) {
        out.add(FieldError.invalid(ef, except.get(i), "must be a strict subset of `cidr`"));
      }
    }
  }

  static void sliceDefaults(ObjectNode slice) {
    for (ObjectNode p : Fields.objects(slice, "ports")) {
      Fields.defaultText(p, "protocol", "TCP");
      if (!p.has("name")) p.put("name", "");
    }
  }

  static void validateSlice(ObjectNode slice, ObjectNode old, List<FieldError> out) {
    JsonNode type = slice.get("addressType");
    if (type == null || type.isNull() || type.asText().isEmpty()) {
      out.add(FieldError.required("addressType"));
    } else if (!ADDRESS_TYPES.contains(type.asText())) {
      out.add(FieldError.unsupported("addressType", type, ADDRESS_TYPES));
    }
    String t = type == null ? "" : type.asText();
    List<ObjectNode> endpoints = Fields.objects(slice, "endpoints");
    if (endpoints.size() > 1000)
      out.add(FieldError.invalid("endpoints", "[...]", "must have at most 1000 items"));
    for (int i = 0; i < endpoints.size(); i++) {
      String f = "endpoints[" + i + "].addresses";
      JsonNode addresses = endpoints.get(i).path("addresses");
      if (addresses.isEmpty()) out.add(FieldError.required(f, "must contain at least 1 address"));
      if (addresses.size() > 100)
        out.add(FieldError.invalid(f, "[...]", "must have at most 100 items"));
      for (int j = 0; j < addresses.size(); j++) {
        String a = addresses.get(j).asText();
        boolean ok =
            switch (t) {
              case "IPv4" -> Addresses.isIPv4(a);
              case "IPv6" -> Addresses.isIPv6(a);
              case "FQDN" -> Names.isSubdomain(a);
              default -> true;
            };
        if (!ok)
          out.add(
              FieldError.invalid(
                  f + "[" + j + "]", addresses.get(j), "must be a valid " + t + " address"));
      }
    }
    List<ObjectNode> ports = Fields.objects(slice, "ports");
    for (int i = 0; i < ports.size(); i++) {
      String f = "ports[" + i + "]";
      String name = Fields.text(ports.get(i), "name");
      if (!name.isEmpty()) Names.label(f + ".name", name, out);
      JsonNode port = ports.get(i).get("port");
      if (port != null && !port.isNull() && !Fields.validPort(port)) {
        out.add(FieldError.invalid(f + ".port", port, Fields.PORT_RANGE));
      }
      PodSpecs.oneOf(ports.get(i), "protocol", f + ".protocol", PodSpecs.PROTOCOLS, out);
    }
    if (old != null && type != null && !type.equals(old.get("addressType"))) {
      out.add(FieldError.immutable("addressType", type));
    }
  }
}
