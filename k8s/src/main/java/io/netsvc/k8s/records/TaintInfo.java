package io.netsvc.k8s.records;

/** A node taint; value may be null. */
public record TaintInfo(String key, String value, String effect) implements CborSerializable {}
