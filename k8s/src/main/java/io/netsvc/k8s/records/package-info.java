/**
 * Small immutable domain records that carry Kubernetes state into actors. fabric8 model objects
 * never cross an actor boundary (they do not round-trip through Pekko's Jackson serializer); the
 * converters in {@code io.netsvc.k8s.convert} build these records at the edge.
 */
package io.netsvc.k8s.records;
