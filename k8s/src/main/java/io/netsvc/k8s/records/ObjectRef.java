package io.netsvc.k8s.records;

/** The object an event is about. */
public record ObjectRef(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String uid,
    String resourceVersion)
    implements CborSerializable {

  public static ObjectRef of(ServiceInfo s) {
    return new ObjectRef("v1", "Service", s.namespace(), s.name(), s.uid(), s.resourceVersion());
  }
}
