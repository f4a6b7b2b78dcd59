package io.netsvc.k8s.records;

/** One entry of {@code spec.ports} of a Service. {@code nodePort} is 0 when not allocated. */
public record PortSpec(String name, String protocol, int port, int nodePort, String targetPort)
    implements CborSerializable {}
