package io.netsvc.k8s.records;

/** A {@code hostPort} a container of a pod holds on its node. hostIP may be null (all). */
public record HostPortUse(int port, String protocol, String hostIP) implements CborSerializable {}
