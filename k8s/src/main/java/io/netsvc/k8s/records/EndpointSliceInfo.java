package io.netsvc.k8s.records;

import java.util.List;

/**
 * An EndpointSlice reduced to what ServiceLB needs for {@code externalTrafficPolicy: Local}: the
 * nodes that host a Ready Pod endpoint ({@code targetRef.kind == Pod}, {@code ready == true},
 * {@code nodeName} set).
 */
public record EndpointSliceInfo(
    String namespace, String name, String serviceName, List<String> readyPodNodes)
    implements CborSerializable {}
