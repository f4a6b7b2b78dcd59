package io.netsvc.k8s.records;

/** Marker for every message and record sent between actors; bound to jackson-cbor. */
public interface CborSerializable {}
