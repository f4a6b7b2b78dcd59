package io.netsvc.actors.netpol.model;

import io.netsvc.k8s.records.CborSerializable;

/**
 * A named port resolved to one (protocol, number) and the pods that expose it under that number:
 * for an ingress rule the selected (target) pods, for an egress rule the pods the rule's peers
 * cover (selected peer pods, pods inside its ipBlocks, or every pod when it has no peers).
 */
public record NamedGroup(String protocol, int port, FamilyIps pods) implements CborSerializable {}
