package io.netsvc.k8s.records;

/** One entry of {@code status.addresses}: type is InternalIP, ExternalIP, Hostname, … */
public record NodeAddress(String type, String address) implements CborSerializable {}
